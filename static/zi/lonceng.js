// The bell's unread count, fetched after the page has loaded so no page pays a query
// for it; without JavaScript the bell is still a link to the list.
(function () {
  var bell = document.querySelector("[data-zi-lonceng]");
  if (!bell || !window.fetch) return;
  fetch(bell.getAttribute("data-zi-lonceng"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) return;
      var n = data.belum_dibaca;
      var badge = bell.querySelector(".zi-lonceng-jumlah");
      var label = n ? "Notifikasi, " + n + " belum dibaca" : "Notifikasi, tidak ada yang baru";
      bell.setAttribute("aria-label", label);
      bell.setAttribute("title", label);
      if (badge) {
        badge.textContent = n > 99 ? "99+" : String(n);
        badge.hidden = !n;
      }
    })
    .catch(function () {});
})();
