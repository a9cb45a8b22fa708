// Show or hide language columns of the paragraph table (the page works without it).
document.querySelectorAll("input.langtoggle").forEach(function (box) {
  box.addEventListener("change", function () {
    document.querySelectorAll(".l-" + box.value).forEach(function (cell) {
      cell.classList.toggle("hidden-lang", !box.checked);
    });
  });
});
