/* sphinx-release-runbook: the live release checklist.
 *
 * Typing a version fills every placeholder of the page (<span class="runbook-var">), keeps
 * the version in the URL (?version=), and opens that release's checklist: one checkbox per
 * step, kept in localStorage under the runbook and the version (other tabs follow through
 * the storage event).  The bar pins itself to the bottom of the window once its place in
 * the header has scrolled away.  Copy buttons copy the filled commands without comment
 * lines; "Copy as GitHub issue" copies the checklist as Markdown task items.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("runbook-js");

  // --- versions: the grammar of sphinx_release_runbook/core/versions.py -------------------
  var SEMVER = new RegExp(
    "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)" +
      "(?:-((?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*))?$"
  );
  var PEP440 = /^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/;
  var SCHEME_NAMES = { pep440: "PEP 440 version", semver: "semantic version" };

  /* Why *version* is refused under *scheme* (a sentence), or null. */
  function problem(version, scheme) {
    var quoted = "\u201c" + version + "\u201d";
    if (/\s/.test(version)) { return quoted + " contains white space"; }
    if (/^[vV]/.test(version)) {
      return quoted + " starts with \u201cv\u201d: give the bare version " + version.slice(1) +
        " (the tag adds the \u201cv\u201d)";
    }
    if (scheme === "semver") {
      return SEMVER.test(version) ? null :
        quoted + " is not a semantic version MAJOR.MINOR.PATCH[-PRERELEASE]";
    }
    if (!PEP440.test(version)) {
      return quoted + " is not a PEP 440 version in normal form (for example 1.2.3, 1.2.3rc1)";
    }
    var release = version.match(/^\d+(\.\d+)*/)[0].split(".");
    if (release.length < 3) {
      while (release.length < 3) { release.push("0"); }
      return quoted + " is not a " + SCHEME_NAMES.pep440 + ": give MAJOR.MINOR.PATCH, such as " +
        release.map(function (p) { return String(parseInt(p, 10)); }).join(".");
    }
    return null;
  }

  /* The __version_info__ tuple as Python's repr writes it (core.versions.version_info). */
  function versionInfo(version, scheme) {
    var match = version.match(/^(\d+(?:\.\d+)*)(.*)$/);
    var parts = match[1].split(".").map(function (p) { return String(parseInt(p, 10)); });
    var rest = match[2];
    var extra = scheme === "semver" ? (rest ? [rest.slice(1)] : []) :
      rest.replace(/^[-.]/, "").split(".").filter(Boolean);
    extra.forEach(function (e) { parts.push("'" + e + "'"); });
    return "(" + parts.join(", ") + ")";
  }

  // --- storage: never fatal (storage may be disabled or full) ------------------------------
  function stored(key) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw === null ? null : JSON.parse(raw);
    } catch (e) { return null; }
  }
  function store(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); }
      else { window.localStorage.setItem(key, JSON.stringify(value)); }
    } catch (e) { /* the page works without storage */ }
  }
  function siteRoot() {
    var base = root.getAttribute("data-content_root") || "./";
    try { return new URL(base, window.location.href).pathname; } catch (e) { return "/"; }
  }
  var PREFIX = "sphinx-release-runbook|" + siteRoot() + "|";

  // --- the clipboard, and what screen readers hear ------------------------------------------
  var announcer = null;
  function announce(text) {
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.className = "runbook-visually-hidden";
      announcer.setAttribute("role", "status");
      // Inside the main content, as everything on the page should be (a landmark).
      (document.querySelector("[role=main], main") || document.body).appendChild(announcer);
    }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function copyText(text, button, message) {
    var label = button.textContent;
    var done = function (ok) {
      button.textContent = ok ? "Copied" : "Copy failed";
      announce(ok ? message : "Copying failed; select the text and copy it");
      window.setTimeout(function () { button.textContent = label; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done(true); },
        function () { done(fallbackCopy(text)); }
      );
    } else {
      done(fallbackCopy(text));
    }
  }

  /* A commands block as the Copy button takes it: the filled text, its command lines only. */
  function blockText(block) {
    var pre = block.querySelector("pre");
    var text = pre ? pre.textContent.replace(/\n$/, "") : "";
    var ranges = block.getAttribute("data-copy-lines");
    if (ranges === null) { return text; }
    var lines = text.split("\n");
    var picked = [];
    ranges.split(/\s+/).filter(Boolean).forEach(function (range) {
      var ends = range.split("-");
      var first = parseInt(ends[0], 10);
      var last = parseInt(ends[ends.length - 1], 10);
      for (var n = first; n <= last && n <= lines.length; n++) { picked.push(lines[n - 1]); }
    });
    return picked.join("\n");
  }

  // --- one runbook of the page --------------------------------------------------------------
  function Runbook(name) {
    this.name = name;
    this.box = null;
    this.scheme = "pep440";
    this.tagTemplate = "v{version}";
    this.package = "";
    this.total = 0;
    this.version = "";
    this.spans = [];
    this.checks = [];
    this.container = null;
  }

  Runbook.prototype.key = function (version) { return PREFIX + this.name + "|done|" + version; };
  Runbook.prototype.currentKey = function () { return PREFIX + this.name + "|current"; };

  Runbook.prototype.adopt = function (box) {
    this.box = box;
    this.container = box.closest(".runbook") || box.parentNode;
    this.scheme = box.dataset.scheme === "semver" ? "semver" : "pep440";
    this.tagTemplate = box.dataset.tagTemplate || "v{version}";
    this.package = box.dataset.package || "";
    this.total = parseInt(box.dataset.steps || "0", 10);
    this.input = box.querySelector(".runbook-version-input");
    this.status = box.querySelector(".runbook-version-status");
  };

  Runbook.prototype.values = function (version) {
    return {
      version: version,
      tag: this.tagTemplate.split("{version}").join(version),
      version_info: versionInfo(version, this.scheme),
      package: this.package
    };
  };

  /* Fill every span of this runbook with *version*'s values, or put its placeholder back. */
  Runbook.prototype.fill = function (version) {
    var filled = version ? this.values(version) : null;
    this.spans.forEach(function (span) {
      var name = span.dataset.runbookVar;
      if (span.dataset.placeholder === undefined) { span.dataset.placeholder = span.textContent; }
      if (name === "package") {  // known when the docs were built: filled from the start
        span.classList.add("runbook-filled");
      } else if (filled && filled[name] !== undefined) {
        span.textContent = filled[name];
        span.classList.add("runbook-filled");
      } else {
        span.textContent = span.dataset.placeholder;
        span.classList.remove("runbook-filled");
      }
    });
  };

  /* The version box changed (or was set): check, fill, remember, and show its checklist. */
  Runbook.prototype.update = function (options) {
    var text = this.input ? this.input.value.trim() : this.version;
    var why = text ? problem(text, this.scheme) : null;
    this.report(why, options && options.now);
    this.version = why ? "" : text;
    this.fill(this.version);
    if (!why) { this.keepInUrl(text); }
    if (!why && this.box) {
      store(this.currentKey(), text ? {
        version: text, scheme: this.scheme, tagTemplate: this.tagTemplate,
        package: this.package, steps: this.total
      } : null);
    }
    this.showChecklist();
  };

  /* The message and aria-invalid: at once when the value is fine (or on leaving the box),
   * after a pause while a value is being typed ("0.4" on the way to "0.4.0"). */
  Runbook.prototype.report = function (why, now) {
    var self = this;
    window.clearTimeout(this.reportTimer);
    var show = function () {
      if (self.status) { self.status.textContent = why || ""; }
      if (!self.input) { return; }
      if (why) { self.input.setAttribute("aria-invalid", "true"); }
      else { self.input.removeAttribute("aria-invalid"); }
    };
    if (!why || now) { show(); } else { this.reportTimer = window.setTimeout(show, 600); }
  };

  Runbook.prototype.keepInUrl = function (version) {
    if (!window.history || !window.history.replaceState) { return; }
    var url = new URL(window.location.href);
    if (version) { url.searchParams.set("version", version); }
    else { url.searchParams.delete("version"); }
    if (url.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", url.href);
    }
  };

  /* The ticked steps of the version shown: its own list, else those ticked before any
   * version was typed (they carry over to the first version that is given). */
  Runbook.prototype.done = function () {
    var list = function (value) {  // what another version of this script, or a hand, stored
      return Array.isArray(value) ? value.filter(function (id) { return typeof id === "string"; })
        : null;
    };
    var own = list(stored(this.key(this.version)));
    if (own !== null) { return own; }
    return this.version ? (list(stored(this.key(""))) || []) : [];
  };

  Runbook.prototype.setDone = function (stepId, isDone) {
    var list = this.done().filter(function (id) { return id !== stepId; });
    if (isDone) { list.push(stepId); }
    store(this.key(this.version), list);
    if (this.version) { store(this.key(""), null); }
    this.showChecklist();  // the header's progress is a live region: it is announced
  };

  Runbook.prototype.reset = function () {
    store(this.key(this.version), null);
    store(this.key(""), null);
    this.showChecklist();
  };

  Runbook.prototype.stepIds = function () {
    var ids = [];
    var seen = {};
    var add = function (id) { if (id && !seen[id]) { seen[id] = true; ids.push(id); } };
    if (this.container) {
      this.container.querySelectorAll(".runbook-overview a[href*='#step-']").forEach(function (a) {
        add(a.getAttribute("href").split("#step-")[1]);
      });
    }
    this.checks.forEach(function (check) { add(check.dataset.step); });
    return ids;
  };

  Runbook.prototype.progressText = function () {
    var known = this.stepIds();
    var done = this.done().filter(function (id) { return known.indexOf(id) >= 0; }).length;
    var total = this.total || known.length;
    return done + " of " + total + " done";
  };

  Runbook.prototype.showChecklist = function () {
    var done = this.done();
    this.checks.forEach(function (check) {
      var isDone = done.indexOf(check.dataset.step) >= 0;
      check.checked = isDone;
      var card = check.closest(".runbook-step");
      if (card) { card.classList.toggle("runbook-step-done", isDone); }
    });
    if (!this.container) { return; }
    var text = this.progressText();
    this.container.querySelectorAll(".runbook-progress-text").forEach(function (el) {
      if (el.textContent !== text) { el.textContent = text; }
    });
    var known = this.stepIds();
    var count = done.filter(function (id) { return known.indexOf(id) >= 0; }).length;
    var fill = this.container.querySelector(".runbook-meter-fill");
    var total = this.total || known.length;
    if (fill) { fill.style.width = (total ? Math.round((100 * count) / total) : 0) + "%"; }
    this.container.querySelectorAll(".runbook-overview a[href*='#step-']").forEach(function (a) {
      var id = a.getAttribute("href").split("#step-")[1];
      var item = a.closest("li");
      var mark = item && item.querySelector(".runbook-done-mark");
      var isDone = done.indexOf(id) >= 0;
      if (isDone && item && !mark) {
        mark = document.createElement("span");
        mark.className = "runbook-done-mark";
        mark.innerHTML = ' \u2713<span class="runbook-visually-hidden"> done</span>';
        a.parentNode.appendChild(mark);
      } else if (!isDone && mark) {
        mark.parentNode.removeChild(mark);
      }
    });
  };

  /* The checklist as Markdown for a release-tracking issue. */
  Runbook.prototype.issueMarkdown = function () {
    var version = this.version;
    var shown = version || "X.Y.Z";
    var page = new URL(window.location.href);
    page.hash = "";
    if (version) { page.searchParams.set("version", version); }
    var titleEl = this.container && this.container.querySelector(".runbook-title");
    var title = titleEl ? titleEl.textContent.trim() : this.name;
    var done = this.done();
    var lines = [
      "## Release " + shown + ": " + title,
      "",
      "Release checklist from " + page.href + " (" + this.progressText() + ").",
      ""
    ];
    var links = this.container ?
      this.container.querySelectorAll(".runbook-overview a[href*='#step-']") : [];
    Array.prototype.forEach.call(links, function (a, index) {
      var id = a.getAttribute("href").split("#step-")[1];
      var url = new URL(a.getAttribute("href"), window.location.href);
      if (version) { url.searchParams.set("version", version); }
      var card = document.getElementById("step-" + id);
      var heading = card && card.querySelector(".runbook-step-title");
      var text = heading ? heading.textContent.trim() :
        a.textContent.replace(/\s*\(\w+\)\s*$/, "").trim();
      var box = done.indexOf(id) >= 0 ? "[x]" : "[ ]";
      lines.push("- " + box + " " + (index + 1) + ". " + text + " ([guide](" + url.href + "))");
      if (!card) { return; }
      card.querySelectorAll(".runbook-commands").forEach(function (block) {
        var caption = block.querySelector(".runbook-commands-caption");
        if (caption) { lines.push("  " + caption.textContent.trim()); }
        var body = blockText(block);
        var longest = (body.match(/`+/g) || []).reduce(function (n, run) {
          return Math.max(n, run.length);
        }, 0);
        var fence = new Array(Math.max(3, longest + 1) + 1).join("`");
        lines.push("  " + fence + (block.dataset.language || ""));
        body.split("\n").forEach(function (line) { lines.push(line ? "  " + line : ""); });
        lines.push("  " + fence);
      });
      card.querySelectorAll(".runbook-instructions").forEach(function (instructions) {
        instructions.innerText.split("\n").forEach(function (line) {
          lines.push(line.trim() ? "  " + line : "");
        });
      });
    });
    return lines.join("\n").replace(/\n{3,}/g, "\n\n") + "\n";
  };

  // --- the bar: pinned to the bottom of the window once scrolled past -----------------------
  var pinned = null;
  function placeBar(runbook) {
    var slot = runbook.box.parentNode;
    var rect = slot.getBoundingClientRect();
    if (window.innerWidth < 640) {  // a phone: the width of the window, less a margin
      rect = { left: 8, width: document.documentElement.clientWidth - 16 };
    }
    runbook.box.style.left = Math.max(0, rect.left) + "px";
    runbook.box.style.width = rect.width + "px";
  }
  function pin(runbook) {
    if (pinned === runbook) { if (runbook) { placeBar(runbook); } return; }
    if (pinned) {
      var old = pinned;
      old.box.classList.remove("runbook-bar-stuck");
      old.box.style.left = old.box.style.width = "";
      old.box.parentNode.style.minHeight = "";
    }
    pinned = runbook;
    root.classList.toggle("runbook-bar-pinned", !!runbook);
    if (runbook) {
      var slot = runbook.box.parentNode;
      slot.style.minHeight = slot.offsetHeight + "px";  // the header keeps its height
      runbook.box.classList.add("runbook-bar-stuck");
      placeBar(runbook);
      var space = runbook.box.offsetHeight + 24;
      root.style.scrollPaddingBottom = space + "px";
      document.body.style.paddingBottom = space + "px";
    } else {
      root.style.scrollPaddingBottom = "";
      document.body.style.paddingBottom = "";
    }
  }

  // --- dark pages of themes the stylesheet does not know -----------------------------------
  var canvas = null;
  function rgba(color) {
    canvas = canvas || document.createElement("canvas");
    canvas.width = canvas.height = 1;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) { return [255, 255, 255, 1]; }
    context.clearRect(0, 0, 1, 1);
    context.fillStyle = "#000";
    context.fillStyle = color;
    context.fillRect(0, 0, 1, 1);
    var d = context.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  }
  function probeDark(element) {
    if (document.body.hasAttribute("data-theme") || root.hasAttribute("data-theme")) {
      root.classList.remove("runbook-dark");  // furo and pydata: the stylesheet follows them
      return;
    }
    var color = [255, 255, 255, 0];
    for (var el = element; el && el.nodeType === 1; el = el.parentElement) {
      color = rgba(window.getComputedStyle(el).backgroundColor);
      if (color[3] > 0.5) { break; }
    }
    var lum = color[3] > 0.5 ? (0.2126 * color[0] + 0.7152 * color[1] + 0.0722 * color[2]) / 255 : 1;
    root.classList.toggle("runbook-dark", lum < 0.35);
  }

  // --- wiring -------------------------------------------------------------------------------
  function init() {
    var runbooks = {};
    var order = [];
    var get = function (name) {
      if (!runbooks[name]) { runbooks[name] = new Runbook(name); order.push(runbooks[name]); }
      return runbooks[name];
    };
    // Each span belongs to the runbook of the box or step above it (else the first one).
    var current = null;
    var orphans = [];
    document.querySelectorAll(".runbook-version-box, .runbook-check, .runbook-var")
      .forEach(function (el) {
        if (el.classList.contains("runbook-version-box")) {
          current = get(el.dataset.runbook || "");
          current.adopt(el);
        } else if (el.classList.contains("runbook-check")) {
          current = get(el.dataset.runbook || "");
          current.checks.push(el);
        } else if (current) {
          current.spans.push(el);
        } else {
          orphans.push(el);
        }
      });
    if (order.length) { order[0].spans = orphans.concat(order[0].spans); }

    var params = new URLSearchParams(window.location.search);
    order.forEach(function (runbook) {
      if (!runbook.box) {
        // Steps whose runbook's header is on another page: its last release, if any.
        var meta = stored(runbook.currentKey());
        if (meta && typeof meta.version === "string" && typeof meta.tagTemplate === "string") {
          runbook.scheme = meta.scheme; runbook.tagTemplate = meta.tagTemplate;
          runbook.package = meta.package; runbook.total = meta.steps;
          runbook.version = problem(meta.version, meta.scheme) ? "" : meta.version;
        }
        runbook.fill(runbook.version);
        runbook.showChecklist();
      } else {
        var fromUrl = params.get("version");
        var saved = stored(runbook.currentKey());
        var initial = fromUrl !== null ? fromUrl :
          (saved && typeof saved.version === "string" ? saved.version : "");
        runbook.input.value = initial;
        runbook.input.addEventListener("input", function () { runbook.update(); });
        runbook.input.addEventListener("change", function () { runbook.update({ now: true }); });
        runbook.box.querySelector(".runbook-issue").addEventListener("click", function (event) {
          copyText(runbook.issueMarkdown(), event.currentTarget,
            "Copied the checklist as Markdown for a GitHub issue");
        });
        runbook.box.querySelector(".runbook-reset").addEventListener("click", function () {
          var what = runbook.version ? " of " + runbook.version : "";
          if (window.confirm("Untick every step" + what + "?")) { runbook.reset(); }
        });
        runbook.update({ now: true });
      }
      runbook.checks.forEach(function (check) {
        check.addEventListener("change", function () {
          runbook.setDone(check.dataset.step, check.checked);
        });
      });
    });

    document.querySelectorAll(".runbook-copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var block = button.closest(".runbook-commands");
        copyText(blockText(block), button, "Copied the commands");
      });
    });

    // Other tabs tick steps too.
    window.addEventListener("storage", function (event) {
      order.forEach(function (runbook) {
        if (event.key === null || event.key.indexOf(PREFIX + runbook.name + "|done|") === 0) {
          runbook.showChecklist();
        }
      });
    });

    var boxes = order.filter(function (runbook) { return runbook.box; });
    if (boxes.length) {
      var scheduled = false;
      var onScroll = function () {
        if (scheduled) { return; }
        scheduled = true;
        window.requestAnimationFrame(function () {
          scheduled = false;
          var below = null;
          boxes.forEach(function (runbook) {
            if (runbook.box.parentNode.getBoundingClientRect().bottom < 0) { below = runbook; }
          });
          pin(below);
        });
      };
      window.addEventListener("scroll", onScroll, { passive: true });
      window.addEventListener("resize", onScroll);
      onScroll();
    }

    var probeAt = (order[0] && order[0].container) || document.body;
    var probe = function () { probeDark(probeAt); };
    probe();
    if (window.matchMedia) {
      var query = window.matchMedia("(prefers-color-scheme: dark)");
      if (query.addEventListener) { query.addEventListener("change", probe); }
    }
    if (window.MutationObserver) {
      var observer = new MutationObserver(probe);
      observer.observe(document.body, { attributes: true, attributeFilter: ["data-theme", "class"] });
      observer.observe(root, { attributes: true, attributeFilter: ["data-theme", "data-mode"] });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
