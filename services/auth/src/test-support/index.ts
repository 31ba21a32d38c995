// What other packages' tests may use to drive the auth service's pages (subpath "./testing").
export { hiddenFields, TestBrowser } from "./browser.js";
