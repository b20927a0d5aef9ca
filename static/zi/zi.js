// ZI Tracker: the little behaviour the pages need, without inline handlers (the
// Content-Security-Policy allows scripts from this site only).

// A select marked data-zi-autosubmit shows its choice at once when picked with the mouse;
// moved with the arrow keys it waits for Enter or for the focus to leave, so a keyboard
// user is not sent to a new page on every step.
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (!(field.matches && field.matches("select[data-zi-autosubmit]") && field.form)) return;
  if (event.key === "Enter") {
    event.preventDefault();
    field.form.submit();
  } else {
    field.dataset.ziKeyed = "1";
  }
});
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-zi-autosubmit]") && field.form) {
    if (field.dataset.ziKeyed) {
      field.dataset.ziChanged = "1";
    } else {
      field.form.submit();
    }
  }
});
document.addEventListener("focusout", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-zi-autosubmit]") && field.dataset.ziChanged) {
    field.form.submit();
  }
});

// A form marked data-zi-confirm asks before it is sent (withdrawing evidence, …).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.dataset && form.dataset.ziConfirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
