// pdf-parse ships no types; the tests import its library file directly, because the package root
// runs a debug self-test when it is loaded without a parent module.
declare module 'pdf-parse/lib/pdf-parse.js' {
  namespace pdfParse {
    interface TextItem {
      str: string;
      /** [a, b, c, d, x, y] in PDF user space (origin bottom left). */
      transform: number[];
      width: number;
      height: number;
    }
    interface PageProxy {
      /** The media box: [x0, y0, x1, y1]. */
      view: number[];
      getTextContent(options?: {
        normalizeWhitespace?: boolean;
        disableCombineTextItems?: boolean;
      }): Promise<{ items: TextItem[] }>;
    }
    interface Result {
      numpages: number;
      text: string;
    }
    interface Options {
      pagerender?: (page: PageProxy) => Promise<string>;
      max?: number;
    }
  }
  function pdfParse(data: Buffer, options?: pdfParse.Options): Promise<pdfParse.Result>;
  export = pdfParse;
}
