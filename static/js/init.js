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
