// Enhancements for campaign pages. Everything here is optional: the page and the
// form work the same without it.
(function () {
  "use strict";

  function plural(n, one, many) { return n === 1 ? one : many; }

  // Live counter: refresh from count.json while the page is visible.
  var tally = document.querySelector("[data-count-url]");
  if (tally && window.fetch) {
    var countEl = tally.querySelector("[data-count]");
    var labelEl = tally.querySelector("[data-count-label]");
    var bar = tally.querySelector(".progress span");
    var progress = tally.querySelector(".progress");
    var refresh = function () {
      if (document.hidden) { return; }
      fetch(tally.getAttribute("data-count-url"), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          countEl.textContent = data.count.toLocaleString(document.documentElement.lang || undefined);
          labelEl.textContent = plural(data.count, labelEl.dataset.one, labelEl.dataset.many);
          if (data.goal) {
            bar.style.width = Math.min(100, Math.round(100 * data.count / data.goal)) + "%";
            progress.setAttribute("aria-valuenow", data.count);
          }
        })
        .catch(function () { /* keep the last figure */ });
    };
    setInterval(refresh, 5000);
    document.addEventListener("visibilitychange", refresh);
  }

  // Countdown: keep "N hours to go" current without reloading.
  var countdown = document.querySelector("[data-countdown]");
  var deadline = tally && tally.dataset.deadline ? new Date(tally.dataset.deadline) : null;
  if (countdown && deadline && !isNaN(deadline)) {
    var tick = function () {
      var s = (deadline - new Date()) / 1000;
      var ds = countdown.dataset;
      if (s <= 0) { countdown.textContent = ds.closed; return; }
      var m = Math.max(1, Math.floor(s / 60)), h = Math.floor(m / 60), d = Math.floor(h / 24);
      var text = d >= 2 ? ds.days.replace("%s", d)
        : h >= 1 ? plural(h, ds.hour, ds.hours).replace("%s", h)
        : plural(m, ds.minute, ds.minutes).replace("%s", m);
      if (countdown.textContent !== text) { countdown.textContent = text; }
    };
    setInterval(tick, 30000);
  }

  // Show who the letter goes to as soon as the country is chosen.
  var map = document.getElementById("targets-by-country");
  var country = document.getElementById("id_country");
  var who = document.getElementById("recipient-by-country");
  if (map && country && who) {
    var targets = JSON.parse(map.textContent);
    var original = who.textContent;
    var show = function () {
      var list = targets[country.value] || targets["*"];
      if (!country.value) { who.textContent = original; }
      else if (list) { who.textContent = list.join("; "); }
      else { who.textContent = who.dataset.none; }
    };
    country.addEventListener("change", show);
    show();
  }

  // Copy the personal share link.
  var copy = document.querySelector("[data-copy]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var input = document.querySelector(copy.dataset.copy);
      navigator.clipboard.writeText(input.value).then(function () {
        copy.textContent = copy.dataset.done;
      });
    });
  }
})();
