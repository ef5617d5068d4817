// The site menu (templates/base.html) is a <details> disclosure, so it opens and closes without JavaScript too.
// This only adds what the element lacks: aria-expanded on its button kept in step with the menu, and Escape closing
// the open menu with the focus back on its button.
document.querySelectorAll("details.site-menu").forEach(function (menu) {
  var button = menu.querySelector("summary");
  function sync() {
    button.setAttribute("aria-expanded", menu.open ? "true" : "false");
  }
  sync();
  menu.addEventListener("toggle", sync);
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      button.focus();
    }
  });
});
