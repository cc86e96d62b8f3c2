// Starts every GOV.UK Frontend component on the page. Loaded as a module, so browsers
// without module support (which also lack the govuk-frontend-supported class) skip it.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// The register's filter panel is always open from tablet width up (static/scss/main.scss);
// browsers without ::details-content need it opened here.
const filterPanel = document.getElementById("filter-panel");
if (filterPanel && !CSS.supports("selector(::details-content)")) {
  const wide = window.matchMedia("(min-width: 40.0625em)");
  const openWhenWide = () => {
    if (wide.matches) filterPanel.open = true;
  };
  openWhenWide();
  wide.addEventListener("change", openWhenWide);
}

// A print button where there is something to print (the commissioner's report); hidden
// without JavaScript, where the page says to print it from the browser.
for (const button of document.querySelectorAll("#print-report")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
