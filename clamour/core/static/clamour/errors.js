// After a form comes back with errors, take the keyboard and screen-reader focus to
// the summary of what went wrong (its links lead to each field). Without JavaScript the
// summary is still there, at the top of the form.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
