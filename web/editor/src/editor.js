// kubeplay YAML editor: a small CodeMirror 6 bundle exposing window.KubeplayEditor.
//
//   const ed = KubeplayEditor.create(parentEl, "apiVersion: v1\n", {
//     onChange(doc) {},   // debounced (~150 ms) after user edits; not fired by setDoc
//     onApply() {},       // Ctrl+Enter / Cmd+Enter
//     label: "Manifest",  // aria-label of the editing area
//     placeholder: "…",   // optional
//   });
//   ed.getDoc(); ed.setDoc(text); ed.setDiagnostics([{line, column, message, severity}]);
//   ed.focus(); ed.destroy();
//
// Colours come from CSS variables (--kp-editor-*) with light/dark defaults
// injected once in a <style id="kp-editor-style"> that follows
// prefers-color-scheme. A page may override any --kp-editor-* variable on the
// editor's parent (or any ancestor).

import { EditorState, Compartment, Prec, Annotation } from "@codemirror/state";
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  placeholder as placeholderExt,
} from "@codemirror/view";
import {
  history,
  defaultKeymap,
  historyKeymap,
  indentWithTab,
} from "@codemirror/commands";
import {
  syntaxHighlighting,
  HighlightStyle,
  bracketMatching,
  indentOnInput,
  indentService,
} from "@codemirror/language";
import { search, searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { lintGutter, setDiagnostics as cmSetDiagnostics } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";
import { tags as t } from "@lezer/highlight";

const DEBOUNCE_MS = 150;
const STYLE_ID = "kp-editor-style";

// Default palette. Internal --kp-d-* variables carry the scheme-dependent
// defaults; the theme reads var(--kp-editor-X, var(--kp-d-X)) so page CSS that
// sets --kp-editor-X anywhere up the tree always wins.
const LIGHT = {
  bg: "#ffffff",
  fg: "#1f2328",
  "gutter-bg": "#f6f8fa",
  "gutter-fg": "#6e7781",
  "gutter-border": "#d0d7de",
  // Translucent: the active line is drawn above the selection layer.
  "active-line": "rgba(9, 105, 218, 0.06)",
  "active-gutter": "#dfe4ea",
  selection: "#b6d7ff",
  cursor: "#0969da",
  "panel-bg": "#f6f8fa",
  "panel-fg": "#1f2328",
  "tooltip-bg": "#ffffff",
  "tooltip-border": "#d0d7de",
  "match-bracket": "#bfe5c8",
  "focus-ring": "#0969da",
  placeholder: "#8c959f",
  key: "#0550ae",
  string: "#0a3069",
  value: "#1f2328",
  comment: "#6e7781",
  meta: "#8250df",
  anchor: "#953800",
  tag: "#116329",
  punct: "#57606a",
  keyword: "#cf222e",
};
const DARK = {
  bg: "#0d1117",
  fg: "#e6edf3",
  "gutter-bg": "#0d1117",
  "gutter-fg": "#7d8590",
  "gutter-border": "#30363d",
  "active-line": "rgba(110, 118, 129, 0.14)",
  "active-gutter": "#1f2630",
  selection: "#264f78",
  cursor: "#58a6ff",
  "panel-bg": "#161b22",
  "panel-fg": "#e6edf3",
  "tooltip-bg": "#161b22",
  "tooltip-border": "#30363d",
  "match-bracket": "#2f5b3a",
  "focus-ring": "#58a6ff",
  placeholder: "#6e7681",
  key: "#79c0ff",
  string: "#a5d6ff",
  value: "#e6edf3",
  comment: "#8b949e",
  meta: "#d2a8ff",
  anchor: "#ffa657",
  tag: "#7ee787",
  punct: "#8b949e",
  keyword: "#ff7b72",
};

const v = (name) => `var(--kp-editor-${name}, var(--kp-d-${name}, ${LIGHT[name]}))`;
const decls = (pal) =>
  Object.keys(pal)
    .map((k) => `--kp-d-${k}:${pal[k]};`)
    .join("");

function injectStyle(doc) {
  if (!doc || doc.getElementById(STYLE_ID)) return;
  const el = doc.createElement("style");
  el.id = STYLE_ID;
  el.textContent =
    `:root{${decls(LIGHT)}}` +
    `@media (prefers-color-scheme: dark){:root{${decls(DARK)}}}`;
  // Prepend so that page stylesheets can override it.
  const head = doc.head || doc.documentElement;
  head.insertBefore(el, head.firstChild);
}

const themeSpec = {
  "&": {
    height: "100%",
    color: v("fg"),
    backgroundColor: v("bg"),
    fontSize: "13px",
    // Native controls (search panel checkboxes, scrollbars) follow the scheme.
    colorScheme: "light dark",
  },
  "&.cm-focused": { outline: `1px solid ${v("focus-ring")}` },
  ".cm-scroller": {
    overflow: "auto",
    fontFamily:
      'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace',
    lineHeight: "1.5",
  },
  ".cm-content": { caretColor: v("cursor") },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: v("cursor") },
  // One class more than the base theme's &light/&dark selection rules.
  "&.cm-editor.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, &.cm-editor .cm-selectionBackground, &.cm-editor .cm-content ::selection":
    { backgroundColor: v("selection") },
  "&.cm-editor .cm-activeLine": { backgroundColor: v("active-line") },
  "&.cm-editor .cm-activeLineGutter": { backgroundColor: v("active-gutter") },
  "&.cm-editor.cm-focused .cm-matchingBracket": {
    backgroundColor: v("match-bracket"),
    outline: "none",
  },
  ".cm-gutters": {
    backgroundColor: v("gutter-bg"),
    color: v("gutter-fg"),
    borderRight: `1px solid ${v("gutter-border")}`,
  },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 6px 0 8px" },
  ".cm-placeholder": { color: v("placeholder") },
  ".cm-panels, .cm-tooltip": {
    fontFamily: 'var(--kp-editor-ui-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif)',
  },
  "&.cm-editor .cm-panels": {
    backgroundColor: v("panel-bg"),
    color: v("panel-fg"),
  },
  "&.cm-editor .cm-panels-top": { borderBottom: `1px solid ${v("gutter-border")}` },
  "&.cm-editor .cm-panels-bottom": { borderTop: `1px solid ${v("gutter-border")}` },
  "&.cm-editor .cm-textfield": {
    backgroundColor: v("bg"),
    color: v("fg"),
    border: `1px solid ${v("gutter-border")}`,
  },
  "&.cm-editor .cm-tooltip": {
    backgroundColor: v("tooltip-bg"),
    color: v("fg"),
    border: `1px solid ${v("tooltip-border")}`,
  },
  ".cm-tooltip-lint": { maxWidth: "60ch" },
};

const highlight = HighlightStyle.define([
  { tag: t.definition(t.propertyName), color: v("key") },
  { tag: t.propertyName, color: v("key") },
  { tag: t.string, color: v("string") },
  { tag: t.special(t.string), color: v("meta") },
  { tag: t.content, color: v("value") },
  { tag: [t.lineComment, t.comment], color: v("comment"), fontStyle: "italic" },
  { tag: t.meta, color: v("meta") },
  { tag: t.labelName, color: v("anchor") },
  { tag: t.typeName, color: v("tag") },
  { tag: t.keyword, color: v("keyword") },
  { tag: t.attributeValue, color: v("string") },
  { tag: [t.separator, t.punctuation, t.squareBracket, t.brace], color: v("punct") },
]);

const SEVERITIES = { error: "error", warning: "warning", warn: "warning", info: "info", hint: "hint" };

// Convert [{line, column, message, severity}] (1-based) into CodeMirror
// diagnostics, clamping out-of-range positions into the document.
function toCmDiagnostics(doc, list) {
  const out = [];
  if (!Array.isArray(list)) return out;
  for (const d of list) {
    if (!d) continue;
    let lineNo = Math.floor(Number(d.line));
    if (!Number.isFinite(lineNo) || lineNo < 1) lineNo = 1;
    if (lineNo > doc.lines) lineNo = doc.lines;
    const line = doc.line(lineNo);
    let col = Math.floor(Number(d.column));
    if (!Number.isFinite(col) || col < 1) col = 1;
    let from = Math.min(line.from + col - 1, line.to);
    // A column at/after the end of a non-empty line marks its last character.
    if (from === line.to && line.length > 0 && col > 1) from = line.to - 1;
    out.push({
      from,
      to: line.to,
      severity: SEVERITIES[String(d.severity || "error").toLowerCase()] || "error",
      message: d.message == null ? "" : String(d.message),
    });
  }
  return out;
}

// After "key:" (nothing but an optional comment following) a new line is
// indented one unit deeper than the key; lang-yaml alone keeps the mapping's
// indentation there. Everything else falls through to lang-yaml's rules.
const keyIndent = indentService.of((cx, pos) => {
  const line = cx.lineAt(pos, -1);
  const before = line.text.slice(0, pos - line.from).replace(/\s+#.*$/, "");
  if (!/^\s*(?:-\s+)*[^\s#][^#]*:\s*$/.test(before)) return undefined;
  const lead = /^\s*(?:-\s+)*/.exec(before)[0];
  return cx.column(line.from + lead.length) + cx.unit;
});

const External = Annotation.define();

function create(parent, doc, opts) {
  if (!parent || typeof parent.appendChild !== "function") {
    throw new TypeError("KubeplayEditor.create: parent must be a DOM element");
  }
  opts = opts || {};
  const ownerDoc = parent.ownerDocument || document;
  injectStyle(ownerDoc);

  let timer = null;
  let destroyed = false;
  let view = null;

  const fireChange = () => {
    timer = null;
    if (destroyed || typeof opts.onChange !== "function") return;
    opts.onChange(view.state.doc.toString());
  };
  const flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      fireChange();
    }
  };

  // CodeMirror's own &light/&dark base styles (buttons, search matches, lint
  // markers) follow the colour scheme via this compartment; our colours come
  // from the CSS variables above.
  const mq =
    typeof window !== "undefined" && window.matchMedia
      ? window.matchMedia("(prefers-color-scheme: dark)")
      : null;
  const themeSlot = new Compartment();
  const themeFor = (dark) => EditorView.theme(themeSpec, { dark });
  const onScheme = () => {
    if (!destroyed) view.dispatch({ effects: themeSlot.reconfigure(themeFor(mq.matches)) });
  };

  const applyKeys = Prec.highest(
    keymap.of([
      {
        key: "Mod-Enter",
        preventDefault: true,
        run: () => {
          flush();
          if (typeof opts.onApply === "function") opts.onApply();
          return true;
        },
      },
    ])
  );

  const extensions = [
    applyKeys,
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(highlight),
    bracketMatching(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    lintGutter(),
    yaml(),
    keyIndent,
    EditorState.tabSize.of(2),
    keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab]),
    themeSlot.of(themeFor(!!(mq && mq.matches))),
    EditorView.contentAttributes.of({
      "aria-label": opts.label ? String(opts.label) : "YAML editor",
      spellcheck: "false",
      autocorrect: "off",
      autocapitalize: "off",
    }),
    EditorView.updateListener.of((u) => {
      if (!u.docChanged || destroyed) return;
      if (u.transactions.every((tr) => !tr.docChanged || tr.annotation(External))) return;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(fireChange, DEBOUNCE_MS);
    }),
  ];
  if (opts.placeholder) extensions.push(placeholderExt(String(opts.placeholder)));

  view = new EditorView({
    state: EditorState.create({ doc: doc == null ? "" : String(doc), extensions }),
    parent,
  });

  if (mq) {
    if (mq.addEventListener) mq.addEventListener("change", onScheme);
    else if (mq.addListener) mq.addListener(onScheme);
  }

  return {
    /** The whole document as a string. */
    getDoc() {
      return view.state.doc.toString();
    },
    /** Replace the document (undoable). Does not fire onChange. */
    setDoc(text) {
      if (destroyed) return;
      text = text == null ? "" : String(text);
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      if (text === view.state.doc.toString()) return;
      const head = Math.min(view.state.selection.main.head, text.length);
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        selection: { anchor: head },
        annotations: External.of(true),
      });
    },
    /** [{line, column, message, severity}] with 1-based line/column; [] clears. */
    setDiagnostics(list) {
      if (destroyed) return;
      view.dispatch(cmSetDiagnostics(view.state, toCmDiagnostics(view.state.doc, list)));
    },
    focus() {
      if (!destroyed) view.focus();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (mq) {
        if (mq.removeEventListener) mq.removeEventListener("change", onScheme);
        else if (mq.removeListener) mq.removeListener(onScheme);
      }
      view.destroy();
    },
    /** The underlying CodeMirror EditorView (for debugging/tests). */
    get view() {
      return view;
    },
  };
}

window.KubeplayEditor = { create };
