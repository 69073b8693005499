// Tests read JSON bodies of known shape; `any` keeps assertions readable.
export {};
declare global {
  interface Response {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json(): Promise<any>;
  }
}
