// ZI Tracker: the little behaviour the pages need, without inline handlers (the
// Content-Security-Policy allows scripts from this site only).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-zi-autosubmit]") && field.form) {
    field.form.submit();
  }
});
