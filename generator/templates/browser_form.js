/* casekit browser form: save the values to a JSON file, open such a file, print.
   No network request, no browser storage: the values live in the page until the user saves a file.
   The review page of a scanned form is this page too: it also saves what the scan found and which of the
   questions marked "To check" the clerk has checked against the paper. */
(function () {
  "use strict";
  var form = document.getElementById("casekit-form");
  var fields = JSON.parse(document.getElementById("casekit-fields").textContent);
  var text = JSON.parse(document.getElementById("casekit-messages").textContent);
  var about = {
    form: form.getAttribute("data-form"),
    version: form.getAttribute("data-version"),
    language: document.querySelector('meta[name="casekit-language"]').getAttribute("content")
  };
  var status = document.getElementById("casekit-status");
  var reviewData = document.getElementById("casekit-review");
  var review = reviewData ? JSON.parse(reviewData.textContent) : null;
  var checks = Array.prototype.slice.call(form.querySelectorAll("input.scan-confirm"));

  function say(message, isError) {
    status.textContent = message;
    status.className = isError ? "error" : "";
  }

  function fill(message, params) {
    return message.replace(/\{(\w+)\}/g, function (all, key) { return key in params ? params[key] : all; });
  }

  /* Inputs are found by name through the document, never as properties of the form: a field id such
     as "reset", "submit" or "elements" would otherwise shadow the form's own methods (form.reset …). */
  function named(name) {  /* only this form's inputs: <meta name="viewport"> shares the name space */
    return Array.prototype.filter.call(document.getElementsByName(name), function (el) { return el.form === form; });
  }
  function element(name) { return named(name)[0] || null; }
  function resetForm() { HTMLFormElement.prototype.reset.call(form); }

  function checkedGroups() {
    return checks.filter(function (box) { return box.checked; }).map(function (box) { return box.getAttribute("data-group"); });
  }
  function showChecks() {  /* a checked question loses its dashed frame and says so in words */
    checks.forEach(function (box) { box.closest(".scan-review").classList.toggle("scan-checked", box.checked); });
  }
  function stillToCheck() {
    var count = checks.length - checkedGroups().length;
    return count ? fill(text.to_check, {count: count}) : text.all_checked;
  }

  function values() {
    var out = {};
    fields.forEach(function (f) {
      var el = element(f.name);
      if (f.widget === "checkboxes") {
        out[f.name] = f.options.filter(function (v) {
          var box = element(f.name + "__" + v);
          return box && box.checked;
        }).join(" ");
      } else if (f.widget === "checkbox") {
        out[f.name] = el && el.checked ? "yes" : "";
      } else if (f.widget === "radio") {
        var chosen = named(f.name).filter(function (box) { return box.checked; })[0];
        out[f.name] = chosen ? chosen.value : "";
      } else {
        out[f.name] = el ? el.value : "";
      }
    });
    return out;
  }

  function setValues(saved) {
    resetForm();
    fields.forEach(function (f) {
      var value = saved[f.name] === undefined || saved[f.name] === null ? "" : String(saved[f.name]);
      var el = element(f.name);
      if (f.widget === "checkboxes") {
        var chosen = value.split(/\s+/);
        f.options.forEach(function (v) {
          var box = element(f.name + "__" + v);
          if (box) box.checked = chosen.indexOf(v) >= 0;
        });
      } else if (f.widget === "checkbox") {
        if (el) el.checked = value === "yes";
      } else if (f.widget === "radio") {
        named(f.name).forEach(function (box) { box.checked = box.value === value; });
      } else if (el) {
        el.value = value;
      }
    });
    Array.prototype.forEach.call(form.querySelectorAll("textarea"), grow);
    refresh();
  }

  function save() {
    var data = {form: about.form, version: about.version, language: about.language, values: values()};
    if (review) data.scan = Object.assign({}, review.scan, {checked: checkedGroups()});
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], {type: "application/json"});
    var link = document.createElement("a");
    var stamp = new Date().toISOString().slice(0, 10);
    link.href = URL.createObjectURL(blob);
    link.download = review ? review.name + "-reviewed.json"
      : [about.form, data.values.agency_case_number || "", stamp].filter(Boolean).join("-") + ".json";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    say(fill(text.saved, {file: link.download}) + (review ? " " + stillToCheck() : ""), false);
  }

  function openFile(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var data;
      try {
        data = JSON.parse(reader.result);
      } catch (error) {
        return say(text.not_json, true);
      }
      if (!data || typeof data.values !== "object" || !data.form) return say(text.not_json, true);
      if (data.form !== about.form) return say(fill(text.wrong_form, {file_form: data.form, form: about.form}), true);
      if (data.version !== about.version) {
        return say(fill(text.wrong_version, {file_version: data.version, version: about.version}), true);
      }
      var scan = data.scan || {};
      if (review && JSON.stringify(scan.pages) !== JSON.stringify(review.scan.pages)) {
        return say(fill(text.wrong_scan, {file: file.name}), true);
      }
      setValues(data.values);
      if (review) {
        checks.forEach(function (box) { box.checked = (scan.checked || []).indexOf(box.getAttribute("data-group")) >= 0; });
        showChecks();
      }
      say(fill(text.opened, {file: file.name}) + (review ? " " + stillToCheck() : ""), false);
    };
    reader.onerror = function () { say(text.not_json, true); };
    reader.readAsText(file);
  }

  function grow(area) {  /* a textarea prints only what it shows: make it show everything */
    area.style.height = "";
    area.style.height = Math.max(area.scrollHeight + 2, area.offsetHeight) + "px";
  }

  /* A label for every field: the template gives a text box, a tick box in a grid or a table cell its name as
     a tooltip (title) beside a caption that is not tied to it; a screen reader needs a <label>. */
  function labelFields() {
    var labels = document.createElement("div");
    Array.prototype.forEach.call(form.querySelectorAll("input, textarea, select"), function (el) {
      if (el.type === "hidden" || el.type === "file" || el.labels.length || !el.title) return;
      el.id = el.id || "field-" + el.name + (el.type === "radio" || el.type === "checkbox" ? "-" + el.value : "");
      var label = document.createElement("label");
      label.className = "screen-reader";
      label.htmlFor = el.id;
      label.textContent = el.title;
      labels.appendChild(label);
    });
    form.appendChild(labels);
  }

  /* On paper a text box shows all it holds: each prints as a copy of its text that grows with it. */
  var boxes = Array.prototype.filter.call(form.querySelectorAll("textarea, input.entry"), function (el) {
    return !/\b(digits|date)\b/.test(el.className);
  });
  boxes.forEach(function (el) {
    var copy = document.createElement("div");
    copy.className = "print-value" + (/\bshort\b/.test(el.className) ? " short" : "");
    copy.setAttribute("aria-hidden", "true");
    el.classList.add("has-print-value");
    el.parentNode.insertBefore(copy, el.nextSibling);
  });
  function mirror(el) {
    if (el.classList.contains("has-print-value")) el.nextSibling.textContent = el.value;
  }

  /* The PDFs carry agency, form, version and case numbers on every page; so does the printout, in the page
     margin (CSS margin boxes hold text only, so the rule is written with the current case numbers). */
  var pageRule = document.createElement("style");
  document.head.appendChild(pageRule);
  function firstLanguage(el) {
    if (!el) return "";
    var first = el.querySelector(".l1");
    return (first || el).textContent.replace(/\s+/g, " ").trim();
  }
  function cssString(value) {
    return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n]+/g, " ") + '"';
  }
  function pageHeader() {
    var header = document.querySelector(".page-header");
    var numbers = Array.prototype.map.call(form.querySelectorAll(".case-numbers .field"), function (field) {
      var input = field.querySelector("input");
      return firstLanguage(field.querySelector(".caption")) + ": " + (input && input.value ? input.value : "________");
    });
    var lines = [
      [firstLanguage(header.querySelector(".agency-name")), firstLanguage(header.querySelector(".confidential"))],
      [firstLanguage(header.querySelector(".header-title")), firstLanguage(document.querySelector(".footer-ref"))],
      numbers
    ].map(function (parts) { return cssString(parts.filter(Boolean).join("  ·  ")); });
    pageRule.textContent = "@media print { @page { @top-left { content: " + lines.join(' "\\A " ') +
      "; font-family: " + getComputedStyle(document.body).fontFamily + "; } } }";
  }

  function refresh() {
    boxes.forEach(mirror);
    pageHeader();
    showChecks();
  }

  labelFields();
  form.setAttribute("autocomplete", "off");
  resetForm();  /* no values carried over by the browser from an earlier visit */
  refresh();
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("change", function (event) {
    if (!event.target.classList.contains("scan-confirm")) return;
    showChecks();
    say(stillToCheck(), false);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") grow(event.target);
    mirror(event.target);
    pageHeader();
  });
  /* A second click on a ticked round box clears it, as an answer on paper can be left blank. */
  var wasChecked = null;
  form.addEventListener("mousedown", function (event) {
    var label = event.target.closest("label");
    var box = label ? label.querySelector("input[type=radio]") : event.target;
    wasChecked = box && box.type === "radio" && box.checked ? box : null;
  });
  form.addEventListener("click", function (event) {
    if (event.target === wasChecked) wasChecked.checked = false;
    wasChecked = null;
  });

  var picker = document.getElementById("casekit-file");
  document.getElementById("casekit-save").addEventListener("click", save);
  document.getElementById("casekit-open").addEventListener("click", function () { picker.click(); });
  picker.addEventListener("change", function () {
    if (picker.files.length) openFile(picker.files[0]);
    picker.value = "";
  });
  document.getElementById("casekit-print").addEventListener("click", function () { window.print(); });
  var clear = document.getElementById("casekit-clear");  /* not on a review page: its answers came from paper */
  if (clear) {
    clear.addEventListener("click", function () {
      if (window.confirm(text.confirm_clear)) {
        setValues({});
        say(text.cleared, false);
      }
    });
  }
}());
