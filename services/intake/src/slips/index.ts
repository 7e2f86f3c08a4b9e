/**
 * The slips wing: the printable forms of the one-stop desk (Thông tư 01/2018/TT-VPCP, Mẫu số
 * 01–05) as PDFs, the data each is printed from, and the route that prints them.
 */
export { renderSlip, SLIP_TITLES } from './pdf/render';
export type * from './slip-data';
export { personOf, slipData, type SlipSettings } from './commands/slip-data.command';
export { slipRoutes } from './routes/slip.routes';
