/** The historical-import wing: dossiers from the previous one-stop software, with their clock replayed and their events at their times. */
export { importRoutes } from './routes/import.routes';
