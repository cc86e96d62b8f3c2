// Starts every GOV.UK Frontend component on the page. Loaded as a module, so browsers
// without module support (which also lack the govuk-frontend-supported class) skip it.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
