// Enhancements for campaign pages. Everything here is optional: the page and the
// form work the same without it.
(function () {
  "use strict";

  var language = document.documentElement.lang || "en";
  var canPlural = !!(window.Intl && Intl.PluralRules);

  // The words for a number, from the catalogue: `json` gives them for sample numbers
  // that cover every plural category (zero, one, two, few, many, other); the page's
  // language says which category a number is in (Arabic: 0 zero, 1 one, 2 two,
  // 3-10 few, 11-99 many, 100 other). "%(n)d" stands for the number.
  function pluralOf(json) {
    var rules = new Intl.PluralRules(language);
    var forms = JSON.parse(json), words = {};
    forms.forEach(function (form) {
      var category = rules.select(form[0]);
      if (!(category in words)) { words[category] = form[1]; }
    });
    return function (n) {
      var category = rules.select(n);
      return category in words ? words[category] : (words.other || forms[forms.length - 1][1]);
    };
  }

  // Western digits in every language (README, "Languages"), grouped exactly as the
  // server groups them for this language (its separator and group size come with the page).
  function grouped(n, where) {
    var digits = String(Math.round(n)), size = parseInt(where.dataset.groupSize, 10);
    if (!size || digits.length <= size) { return digits; }
    var sep = where.dataset.group, parts = [];
    while (digits.length > size) {
      parts.unshift(digits.slice(-size));
      digits = digits.slice(0, -size);
    }
    parts.unshift(digits);
    return parts.join(sep);
  }

  // Live counter: refresh from count.json while the page is visible.
  var tally = document.querySelector("[data-count-url]");
  if (tally && window.fetch && canPlural) {
    var countEl = tally.querySelector("[data-count]");
    var labelEl = tally.querySelector("[data-count-label]");
    var bar = tally.querySelector(".progress span");
    var progress = tally.querySelector(".progress");
    var label = pluralOf(labelEl.dataset.forms);
    var refresh = function () {
      if (document.hidden) { return; }
      fetch(tally.getAttribute("data-count-url"), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          countEl.textContent = grouped(data.count, tally);
          labelEl.textContent = label(data.count);
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
  if (countdown && deadline && !isNaN(deadline) && canPlural) {
    var ds = countdown.dataset;
    var days = pluralOf(ds.days), hours = pluralOf(ds.hours), minutes = pluralOf(ds.minutes);
    var tick = function () {
      var s = (deadline - new Date()) / 1000;
      if (s <= 0) { countdown.textContent = ds.closed; return; }
      var m = Math.max(1, Math.floor(s / 60)), h = Math.floor(m / 60), d = Math.floor(h / 24);
      var text = d >= 2 ? days(d).replace("%(n)d", grouped(d, tally))
        : h >= 1 ? hours(h).replace("%(n)d", grouped(h, tally))
        : minutes(m).replace("%(n)d", grouped(m, tally));
      if (countdown.textContent !== text) { countdown.textContent = text; }
    };
    setInterval(tick, 30000);
  }

  // As soon as the country is chosen: show who the letter goes to (saying so when it
  // is the campaign's main contact because the country has none), and fill the
  // letter's placeholders in. The server does the same when the form comes back.
  var country = document.getElementById("id_country");
  var map = document.getElementById("targets-by-country");
  var who = document.getElementById("recipient-by-country");
  var startEl = document.getElementById("letter-start");
  var targets = map ? JSON.parse(map.textContent) : {};
  var start = startEl ? JSON.parse(startEl.textContent) : null;

  var countryName = function () {
    return country.value ? country.options[country.selectedIndex].text : "";
  };
  var recipients = function () {
    if (!country.value) { return { list: null, fallback: false }; }
    if (targets[country.value]) { return { list: targets[country.value], fallback: false }; }
    return { list: targets["*"] || null, fallback: !!targets["*"] };
  };

  var showRecipients = function () {
    var found = recipients();
    who.textContent = "";
    var note = document.createElement("p");
    if (!country.value) { note.textContent = who.dataset.choose; who.appendChild(note); return; }
    if (!found.list) { note.textContent = who.dataset.none; who.appendChild(note); return; }
    if (found.fallback) {
      note.className = "fallback";
      note.textContent = who.dataset.fallback.replace("%s", countryName());
      who.appendChild(note);
    }
    var ul = document.createElement("ul");
    found.list.forEach(function (t) {
      var li = document.createElement("li");
      var strong = document.createElement("strong");
      strong.textContent = t.name;
      li.appendChild(strong);
      if (t.title) { li.appendChild(document.createTextNode(", " + t.title)); }
      ul.appendChild(li);
    });
    who.appendChild(ul);
  };

  var boxes = start ? [["subject", document.getElementById("id_subject")],
                       ["body", document.getElementById("id_body")]] : [];
  var edited = {};
  var letterValues = function () {
    var values = { supporter_country: countryName() };
    var found = start.fixed ? { list: null } : recipients();
    if (found.list && found.list.length === 1) {
      values.target_name = found.list[0].name;
      values.target_title = found.list[0].title;
      values.target_country = found.list[0].country;
    }
    return values;
  };
  var fill = function (text, values) {
    Object.keys(start.words).forEach(function (name) {
      var value = values[name] || start.words[name];
      text = text.split("{" + name + "}").join(value);
      if (value !== start.words[name]) { text = text.split(start.words[name]).join(value); }
    });
    return text;
  };
  // The campaign's letter, in the recipients' language where it has one.
  var template = function (part) {
    var found = start.fixed ? { list: null } : recipients();
    var languages = (found.list || []).map(function (t) { return t.language; });
    var language = languages.length && languages.every(function (l) { return l === languages[0]; })
      ? languages[0] : "";
    var letter = language && start.letters && start.letters[language];
    return letter ? letter[part] : start[part];
  };
  var fillLetter = function () {
    var values = letterValues();
    boxes.forEach(function (pair) {
      var box = pair[1];
      // Untouched: the campaign's letter for the new choice; edited by the supporter:
      // only what is still a placeholder is filled in.
      if (box) { box.value = fill(edited[pair[0]] ? box.value : template(pair[0]), values); }
    });
  };
  boxes.forEach(function (pair) {
    var box = pair[1];
    if (!box) { return; }
    // A letter sent back with the form's errors may hold the supporter's own words.
    edited[pair[0]] = box.value !== fill(template(pair[0]), letterValues());
    box.addEventListener("input", function () { edited[pair[0]] = true; });
  });

  if (country) {
    var onCountry = function () {
      if (who) { showRecipients(); }
      if (start) { fillLetter(); }
    };
    country.addEventListener("change", onCountry);
    if (country.value) { onCountry(); }
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
