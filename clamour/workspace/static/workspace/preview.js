// Live letter preview: as the campaigner types or picks a country, ask the server for
// the preview (the same code that fills the letters that are sent) and show it.
(function () {
  var box = document.getElementById("letter-preview");
  var form = document.getElementById("campaign-form");
  if (!box || !form || !window.fetch) return;
  var subject = form.querySelector("[name='action-letter_subject']");
  var template = form.querySelector("[name='action-letter_template']");
  var country = form.querySelector("[name='country']");
  var token = form.querySelector("[name='csrfmiddlewaretoken']");
  var heading = box.querySelector("h2");
  var timer = null;
  function refresh() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    data.append("country", country.value);
    data.append("letter_subject", subject ? subject.value : "");
    data.append("letter_template", template ? template.value : "");
    fetch(box.dataset.url, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        box.innerHTML = "";
        box.appendChild(heading);
        box.insertAdjacentHTML("beforeend", html);
      });
  }
  function soon() { clearTimeout(timer); timer = setTimeout(refresh, 300); }
  [subject, template].forEach(function (el) { if (el) el.addEventListener("input", soon); });
  if (country) country.addEventListener("change", refresh);
})();
