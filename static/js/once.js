// The one-time token of a create form (casework/core/forms.py). On "back", a browser restores only the fields whose
// value differs from the one written in the page; so the token is kept as the field's value and the page's own
// copy is cleared: after "back" and "Zapisz" the form posts the token it was first posted with, and the server
// answers with the record already saved instead of saving it twice. A token the browser has just restored
// (different from the page's own) is left as it is.
document.querySelectorAll("input[data-once-token]").forEach(function (input) {
  if (input.value === input.defaultValue) {
    var token = input.value;
    input.value = token;
    input.defaultValue = "";
  }
});
