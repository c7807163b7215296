/* sphinx-release-runbook: fill X.Y.Z placeholders live and copy commands. */
(function () {
  "use strict";
  var SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;
  var PEP440 = /^\d+(\.\d+){2,}((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/;

  function versionInfo(version) {
    var match = version.match(/^(\d+(?:\.\d+)*)(.*)$/);
    var parts = match[1].split(".").map(function (p) { return String(parseInt(p, 10)); });
    var extra = match[2].replace(/^[-.]/, "").split(/\./).filter(Boolean);
    extra.forEach(function (e) { parts.push("'" + e + "'"); });
    return "(" + parts.join(", ") + ")";
  }

  function values(box, version) {
    return {
      version: version,
      tag: box.dataset.tagTemplate.split("{version}").join(version),
      version_info: versionInfo(version),
    };
  }

  function update(box) {
    var input = box.querySelector(".runbook-version-input");
    var status = box.querySelector(".runbook-version-status");
    var version = input.value.trim();
    var scheme = box.dataset.scheme === "semver" ? SEMVER : PEP440;
    var spans = document.querySelectorAll(".runbook-var");
    if (version && !scheme.test(version)) {
      status.textContent = "not a " + (box.dataset.scheme || "pep440") + " version";
      return;
    }
    status.textContent = "";
    var filled = version ? values(box, version) : null;
    spans.forEach(function (span) {
      var name = span.dataset.runbookVar;
      if (!span.dataset.placeholder) { span.dataset.placeholder = span.textContent; }
      if (filled && filled[name] !== undefined) {
        span.textContent = filled[name];
        span.classList.add("runbook-filled");
      } else {
        span.textContent = span.dataset.placeholder;
        span.classList.remove("runbook-filled");
      }
    });
    try {
      if (version) { window.sessionStorage.setItem("runbook-version", version); }
      else { window.sessionStorage.removeItem("runbook-version"); }
    } catch (e) { /* storage may be disabled */ }
  }

  function copy(button) {
    var pre = button.parentNode.querySelector("pre");
    var text = pre ? pre.innerText : "";
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      document.body.removeChild(area);
      done();
    }
  }

  function init() {
    document.querySelectorAll(".runbook-version-box").forEach(function (box) {
      var input = box.querySelector(".runbook-version-input");
      input.addEventListener("input", function () { update(box); });
      var saved = null;
      try { saved = window.sessionStorage.getItem("runbook-version"); } catch (e) { saved = null; }
      if (saved && !input.value) { input.value = saved; update(box); }
    });
    document.querySelectorAll(".runbook-copy").forEach(function (button) {
      button.addEventListener("click", function () { copy(button); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
