// The site menu (templates/base.html) is a <details> disclosure, so it opens and closes without JavaScript too.
// This only adds what the element lacks: aria-expanded on its button kept in step with the menu, and closing the
// open menu with Escape (the focus goes back to its button) or a tap outside it.
document.querySelectorAll("details.site-menu").forEach(function (menu) {
  var button = menu.querySelector("summary");
  function sync() {
    button.setAttribute("aria-expanded", menu.open ? "true" : "false");
  }
  function shownAsButton() {
    return button.offsetParent !== null; // on a wide screen the menu is always shown and the button hidden
  }
  sync();
  menu.addEventListener("toggle", sync);
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && shownAsButton()) {
      menu.open = false;
      sync(); // the toggle event comes later (asynchronously)
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && shownAsButton() && !menu.contains(event.target)) {
      menu.open = false;
      sync();
    }
  });
});
