// The front desk's page, a little livelier: every form works without this script.
// - One handout: page 1 updates as you type. At most one preview is asked for at a
//   time; what is typed meanwhile is sent as one request when it returns, so typing
//   never queues renders (the newest input wins). The layout pictures follow the
//   content and paper chosen.
// - A class: a roster dropped anywhere on the page is read at once; a class being
//   built shows its progress, then its page.
// Hooks for tests and the benchmark: form[data-version] is the newest input asked
// for, img#preview[data-version] the input the picture on screen was made from.
(function () {
  "use strict";
  document.documentElement.classList.add("scripted");

  const handout = document.getElementById("handout");
  if (handout) livePreview(handout);
  const drop = document.getElementById("drop");
  if (drop) dropZone(drop);
  const batch = document.getElementById("batch");
  if (batch && !batch.hasAttribute("data-finished")) followBatch(batch);

  function livePreview(form) {
    const picture = document.getElementById("preview");
    const missing = form.querySelector(".no-preview");
    let version = 0;
    let busy = false;
    let again = false;

    form.addEventListener("input", function (event) {
      version += 1;
      form.dataset.version = String(version);
      if (event.target.name === "content" || event.target.name === "paper") refreshLayouts(form);
      if (busy) {
        again = true;
      } else {
        send();
      }
    });

    async function send() {
      busy = true;
      again = false;
      const asked = version;
      const data = new FormData(form);
      data.delete("action");
      data.set("version", String(asked));
      try {
        const answer = await fetch(form.dataset.preview, {method: "POST", body: data});
        const record = await answer.json();
        if (!record.superseded) await show(record, asked);
      } catch (error) {
        showProblems(form, {"": ["The preview could not be fetched: is `handouts serve` still running?"]});
      }
      busy = false;
      if (again) send();
    }

    function show(record, asked) {
      showProblems(form, record.problems || {});
      showFacts(record);
      if (!record.image) {
        picture.classList.add("stale");
        if (!picture.getAttribute("src")) missing.hidden = false;
        picture.dataset.version = String(asked);
        return Promise.resolve();
      }
      return new Promise(function (done) {
        picture.onload = function () {
          picture.hidden = false;
          missing.hidden = true;
          picture.classList.remove("stale");
          picture.dataset.version = String(asked);
          done();
        };
        picture.onerror = done;
        picture.src = record.image;
      });
    }
  }

  function showFacts(record) {
    const facts = document.getElementById("facts");
    const pages = record.pages ? record.pages + (record.pages === 1 ? " page" : " pages") : "";
    facts.textContent = [pages, record.printing || ""].filter(Boolean).join(" · ");
    const warnings = document.getElementById("warnings");
    warnings.replaceChildren.apply(warnings, (record.warnings || []).map(function (line) {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
  }

  function showProblems(form, problems) {
    form.querySelectorAll(".problems[data-for]").forEach(function (box) {
      const lines = problems[box.dataset.for] || [];
      box.replaceChildren.apply(box, lines.map(function (line) {
        const paragraph = document.createElement("p");
        paragraph.className = "problem";
        paragraph.textContent = line;
        return paragraph;
      }));
      const field = form.elements[box.dataset.for];
      if (field && field.setAttribute) field.setAttribute("aria-invalid", lines.length ? "true" : "false");
    });
  }

  async function refreshLayouts(form) {
    const chosen = form.querySelector("input[name=template]:checked");
    const query = new URLSearchParams({
      content: form.elements.content.value,
      paper: form.elements.paper.value,
      template: chosen ? chosen.value : "",
    });
    try {
      const answer = await fetch(form.dataset.layouts + "?" + query);
      document.getElementById("layouts").innerHTML = await answer.text();
    } catch (error) {
      // the pictures stay as they were; the preview says what is wrong
    }
  }

  function dropZone(form) {
    const input = form.querySelector("input[type=file]");
    input.addEventListener("change", function () {
      if (input.files.length) form.submit();
    });
    ["dragenter", "dragover"].forEach(function (name) {
      document.addEventListener(name, function (event) {
        event.preventDefault();
        form.classList.add("over");
      });
    });
    document.addEventListener("dragleave", function (event) {
      if (!event.relatedTarget) form.classList.remove("over");
    });
    document.addEventListener("drop", function (event) {
      event.preventDefault();
      form.classList.remove("over");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        form.submit();
      }
    });
  }

  function followBatch(section) {
    const bar = document.getElementById("progress");
    const words = document.getElementById("progress-text");
    async function poll() {
      try {
        const answer = await fetch(section.dataset.progress);
        const progress = await answer.json();
        if (progress.finished || !answer.ok) {
          window.location.reload();
          return;
        }
        bar.max = progress.total || 1;
        bar.value = progress.done;
        words.textContent = progress.done + " of " + (progress.total || "?") + " handouts";
      } catch (error) {
        // the server is busy or gone: try again
      }
      window.setTimeout(poll, 100);
    }
    poll();
  }
})();
