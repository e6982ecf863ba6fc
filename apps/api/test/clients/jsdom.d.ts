// jsdom ships no types and @types/jsdom would pull the DOM library into the whole program: the React
// hook tests need only this much of it.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string, options?: { url?: string; pretendToBeVisual?: boolean });
    readonly window: Record<string, any> & { document: any; close(): void };
  }
}
