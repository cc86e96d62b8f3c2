// Runs first thing in <body> (a classic script, so no inline script is needed under a strict
// Content Security Policy): tells GOV.UK Frontend's CSS that JavaScript is available and the
// browser supports ES modules, so components are styled for their enhanced behaviour.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
