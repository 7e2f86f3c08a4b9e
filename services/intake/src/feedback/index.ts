/** The feedback wing (phản ánh, kiến nghị): receipt, assignment, answer and rating of feedback, with its own trail. */
export { feedbackRoutes } from './routes/feedback.routes';
