/** The one place that decides who may see and do what in the intake (architecture.md, access/). */
export * from './dossier-access';
export * from './feedback-access';
export * from './personal-data';
