// The webdev-new page: a form built from /metadata, the rules applied live,
// a preview of the rendered files, a download link and a share link.
//
// Nothing here knows a question or a rule by name: the questions, their
// values and the combinations the rules forbid all come from /metadata.
"use strict";

const state = {
  meta: null, // the /metadata document
  byKey: {}, // question key -> question
  answers: {}, // key -> "value" | "yes"/"no" | ["a", "b"]
  name: "",
  selected: null, // path of the file shown in the viewer
  openDirs: new Set(), // directories the reader expanded in the tree
  previewRequest: null, // AbortController of the preview being fetched
  fileRequest: null,
  timer: null,
};

function $(id) {
  return document.getElementById(id);
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// --- answers and rules --------------------------------------------------

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function inOrder(question, values) {
  // Multi answers keep the catalogue's order, as the server does.
  return question.choices.filter((choice) => values.includes(choice));
}

// A question none of whose values a framework offers is not asked for it
// (its answer is kept for when the framework changes back, but never sent).
function asked(question, framework) {
  return question.kind === "bool" || question.values[framework].length > 0;
}

// Why the answers `trial` are impossible, or null when they are fine.
function problem(trial) {
  for (const rule of state.meta.forbidden) {
    if (Object.entries(rule.when).every(([key, want]) => same(trial[key], want))) {
      return rule.message;
    }
  }
  for (const question of state.meta.questions) {
    if (question.key === "framework" || !asked(question, trial.framework)) continue;
    const offered = question.values[trial.framework];
    const given = question.kind === "multi" ? trial[question.key] : [trial[question.key]];
    for (const value of given) {
      if (!offered.includes(value)) {
        return `${question.key} '${value}' is not available with ${trial.framework}`;
      }
    }
  }
  return null;
}

// The answer that choosing `value` for `question` would give.
function wouldBe(question, value) {
  const current = state.answers[question.key];
  if (question.kind === "bool") return current === "yes" ? "no" : "yes";
  if (question.kind === "multi") {
    const next = current.includes(value)
      ? current.filter((item) => item !== value)
      : current.concat([value]);
    return inOrder(question, next);
  }
  return value;
}

function query() {
  const params = new URLSearchParams();
  params.set("name", state.name);
  for (const question of state.meta.questions) {
    if (!asked(question, state.answers.framework)) continue;
    const value = state.answers[question.key];
    params.set(question.key, Array.isArray(value) ? value.join(",") : value);
  }
  return params.toString();
}

// --- the form -----------------------------------------------------------

function optionId(key, value) {
  return `${key}-${String(value).replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

function buildForm() {
  const form = $("form");
  form.replaceChildren();
  const meta = state.meta;

  const nameField = element(
    "div",
    { class: "field name-field" },
    element("label", { for: "name", text: meta.name.prompt }),
    element("input", {
      id: "name",
      name: "name",
      type: "text",
      required: true,
      maxlength: meta.name.max_length,
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": "name-help name-error",
    }),
    element("p", { id: "name-help", class: "help", text: meta.name.help }),
    element("p", { id: "name-error", class: "error" }),
  );
  form.append(nameField);

  for (const question of meta.questions) {
    const helpId = `help-${question.key}`;
    if (question.kind === "bool") {
      const reasonId = `reason-${question.key}`;
      form.append(
        element(
          "div",
          { class: "field switch", "data-key": question.key },
          element(
            "div",
            { class: "option" },
            element("input", {
              type: "checkbox",
              id: question.key,
              name: question.key,
              "aria-describedby": `${helpId} ${reasonId}`,
            }),
            element("label", { for: question.key, text: question.prompt }),
          ),
          element("p", { id: helpId, class: "help", text: question.help }),
          element("p", { id: reasonId, class: "reason" }),
        ),
      );
      continue;
    }
    const options = element("div", { class: "options" });
    for (const choice of question.choices) {
      const id = optionId(question.key, choice);
      options.append(
        element(
          "div",
          { class: "option" },
          element("input", {
            type: question.kind === "multi" ? "checkbox" : "radio",
            id,
            name: question.key,
            value: choice,
            "aria-describedby": `reason-${id}`,
          }),
          element("label", { for: id, text: choice }),
          element("span", { id: `reason-${id}`, class: "reason" }),
        ),
      );
    }
    form.append(
      element(
        "fieldset",
        { class: "field", "data-key": question.key, "aria-describedby": helpId },
        element("legend", { text: question.prompt }),
        element("p", { id: helpId, class: "help", text: question.help }),
        options,
      ),
    );
  }

  form.addEventListener("change", onChange);
  form.addEventListener("submit", (event) => event.preventDefault());
  $("name").addEventListener("input", () => {
    state.name = $("name").value;
    update({ soon: true });
  });
}

function onChange(event) {
  const input = event.target;
  const question = state.byKey[input.name];
  if (!question) return;
  state.answers[question.key] = wouldBe(question, input.value);
  update({});
}

// Show the answers in the form, and disable every choice a rule forbids.
function showAnswers() {
  $("name").value = state.name;
  for (const question of state.meta.questions) {
    const current = state.answers[question.key];
    const field = document.querySelector(`.field[data-key="${question.key}"]`);
    field.hidden = !asked(question, state.answers.framework);
    if (question.kind === "bool") {
      const box = $(question.key);
      box.checked = current === "yes";
      mark(box, $(`reason-${question.key}`), question, null);
      continue;
    }
    for (const choice of question.choices) {
      const id = optionId(question.key, choice);
      const input = $(id);
      input.checked = question.kind === "multi" ? current.includes(choice) : current === choice;
      mark(input, $(`reason-${id}`), question, choice);
    }
  }
}

function mark(input, reasonNode, question, choice) {
  const selected = question.kind !== "multi" && question.kind !== "bool" && input.checked;
  const reason = selected ? null : problem({ ...state.answers, [question.key]: wouldBe(question, choice) });
  input.disabled = Boolean(reason);
  input.closest(".option").classList.toggle("disabled", Boolean(reason));
  reasonNode.textContent = reason ? `Unavailable: ${reason}` : "";
}

// --- keeping everything in step ------------------------------------------

function update({ soon = false }) {
  showAnswers();
  const params = query();
  const share = `${location.origin}/?${params}`;
  history.replaceState(null, "", `/?${params}`);
  $("share").value = share;
  $("download").setAttribute("href", `/starter.zip?${params}`);
  $("download").setAttribute("download", `${state.name.trim() || "project"}.zip`);
  clearTimeout(state.timer);
  state.timer = setTimeout(refreshPreview, soon ? 350 : 0);
}

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

function showError(body) {
  $("name-error").textContent = body.key === "name" ? body.error : "";
  const allowed = Array.isArray(body.allowed) ? ` (allowed: ${body.allowed.join(", ")})` : "";
  setStatus(`Cannot generate: ${body.error}${body.key && body.key !== "name" ? allowed : ""}`, true);
  const link = $("download");
  link.removeAttribute("href");
  link.setAttribute("aria-disabled", "true");
}

async function fetchPreview(params, signal) {
  const response = await fetch(`/preview?${params}`, { signal, headers: { Accept: "application/json" } });
  const body = await response.json();
  return { ok: response.ok, body };
}

async function refreshPreview() {
  if (state.previewRequest) state.previewRequest.abort();
  const controller = new AbortController();
  state.previewRequest = controller;
  setStatus("Rendering the preview…");
  $("tree").setAttribute("aria-busy", "true");
  try {
    const { ok, body } = await fetchPreview(query(), controller.signal);
    if (controller.signal.aborted) return;
    if (!ok) {
      showError(body);
      return;
    }
    $("name-error").textContent = "";
    $("download").removeAttribute("aria-disabled");
    showTree(body);
    const count = body.files.length;
    setStatus(`${count} files in ${body.name}/ for these choices.`);
    if (state.selected && body.files.some((file) => file.path === state.selected)) {
      showFile(state.selected, body.files);
    } else {
      clearFile();
    }
  } catch (error) {
    if (error.name !== "AbortError") setStatus(`The preview failed: ${error.message}`, true);
  } finally {
    if (state.previewRequest === controller) {
      state.previewRequest = null;
      $("tree").removeAttribute("aria-busy");
    }
  }
}

// --- the file tree and viewer ---------------------------------------------

function showTree(preview) {
  const root = { dirs: new Map(), files: [] };
  const folder = (path) => {
    let node = root;
    for (const part of path.split("/")) {
      if (!node.dirs.has(part)) node.dirs.set(part, { dirs: new Map(), files: [] });
      node = node.dirs.get(part);
    }
    return node;
  };
  for (const directory of preview.directories) folder(directory);
  for (const file of preview.files) {
    const slash = file.path.lastIndexOf("/");
    const parent = slash < 0 ? root : folder(file.path.slice(0, slash));
    parent.files.push(file);
  }
  $("tree").replaceChildren(treeList(root, "", preview.files));
}

function treeList(node, prefix, allFiles) {
  const list = element("ul", { role: "list" });
  for (const [name, child] of [...node.dirs.entries()].sort()) {
    const path = prefix + name;
    const details = element("details", { open: state.openDirs.has(path) }, element("summary", { text: `${name}/` }));
    details.addEventListener("toggle", () => {
      if (details.open) state.openDirs.add(path);
      else state.openDirs.delete(path);
    });
    details.append(treeList(child, `${path}/`, allFiles));
    list.append(element("li", {}, details));
  }
  for (const file of node.files.sort((a, b) => a.path.localeCompare(b.path))) {
    const button = element("button", {
      type: "button",
      class: "file",
      "data-path": file.path,
      "aria-current": file.path === state.selected ? "true" : false,
      text: file.path.slice(prefix.length),
    });
    button.addEventListener("click", () => showFile(file.path, allFiles));
    list.append(element("li", {}, button));
  }
  return list;
}

function clearFile() {
  state.selected = null;
  $("file-title").textContent = "Choose a file to see it";
  $("file-code").textContent = "";
}

async function showFile(path, files) {
  state.selected = path;
  for (const button of document.querySelectorAll("#tree button.file")) {
    if (button.dataset.path === path) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  }
  const info = files.find((file) => file.path === path);
  $("file-title").textContent = path;
  if (info && info.binary) {
    $("file-code").textContent = `Binary file, ${info.size} bytes: it is in the download.`;
    return;
  }
  if (state.fileRequest) state.fileRequest.abort();
  const controller = new AbortController();
  state.fileRequest = controller;
  $("file-code").textContent = "Loading…";
  try {
    const params = new URLSearchParams(query());
    params.set("path", path);
    const response = await fetch(`/preview/file?${params}`, { signal: controller.signal });
    const text = await response.text();
    if (controller.signal.aborted) return;
    $("file-code").textContent = response.ok ? text : `Could not load ${path}: ${text}`;
  } catch (error) {
    if (error.name !== "AbortError") $("file-code").textContent = `Could not load ${path}: ${error.message}`;
  }
}

// --- start ---------------------------------------------------------------

function defaults() {
  const answers = {};
  for (const question of state.meta.questions) answers[question.key] = question.default;
  return answers;
}

async function start() {
  const response = await fetch("/metadata", { headers: { Accept: "application/json" } });
  state.meta = await response.json();
  for (const question of state.meta.questions) state.byKey[question.key] = question;
  $("version").textContent = `version ${state.meta.generator.version}`;
  for (const node of document.querySelectorAll(".origin")) node.textContent = location.origin;
  state.answers = defaults();
  state.name = state.meta.name.default;
  buildForm();

  // A share link: the server completes and checks the answers it holds.
  const shared = new URLSearchParams(location.search);
  if ([...shared.keys()].length) {
    const { ok, body } = await fetchPreview(shared.toString());
    if (ok) {
      state.answers = { ...defaults(), ...body.answers };
      state.name = body.name;
    } else {
      showAnswers();
      showError(body);
      return;
    }
  }
  update({});
}

$("copy").addEventListener("click", async () => {
  $("share").select();
  try {
    await navigator.clipboard.writeText($("share").value);
    setStatus("Share link copied.");
  } catch {
    setStatus("Select the share link and copy it.");
  }
});

start().catch((error) => setStatus(`The page could not start: ${error.message}`, true));
