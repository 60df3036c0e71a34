//! Column alignment as Go's `text/tabwriter` does it (elastic tabstops), in
//! the two configurations kubectl uses:
//!
//! - `kubectl get` (cli-runtime `GetNewTabWriter`): minwidth 6, tabwidth 4,
//!   padding 3, padchar ' ', flag RememberWidths (github.com/liggitt/tabwriter);
//! - `kubectl describe` (`tabbedString`): minwidth 0, tabwidth 8, padding 2,
//!   padchar ' ', no flags.
//!
//! Text is split into lines at `'\n'` and into cells at `'\t'`. Cells are
//! tab-terminated: the text after the last tab of a line is not part of any
//! column and is never padded. A column is a run of consecutive lines that
//! all have a cell in it; its width is the widest such cell plus the padding
//! (at least minwidth). Widths are counted in Unicode scalar values, as Go
//! counts runes.

/// How a tabwriter pads columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TabConfig {
    pub minwidth: usize,
    pub padding: usize,
    /// liggitt/tabwriter's RememberWidths: a column never gets narrower than
    /// it was in an earlier flush.
    pub remember_widths: bool,
}

/// The writer `kubectl get` prints tables with.
pub const GET_TABLE: TabConfig = TabConfig {
    minwidth: 6,
    padding: 3,
    remember_widths: true,
};

/// The writer `kubectl describe` prints with.
pub const DESCRIBE: TabConfig = TabConfig {
    minwidth: 0,
    padding: 2,
    remember_widths: false,
};

/// A tabwriter: feed it text with [`TabWriter::write`], call
/// [`TabWriter::flush`] where Go code calls `Flush()`, and take the result
/// with [`TabWriter::finish`].
#[derive(Clone, Debug)]
pub struct TabWriter {
    cfg: TabConfig,
    pending: String,
    out: String,
    max_widths: Vec<usize>,
}

impl TabWriter {
    pub fn new(cfg: TabConfig) -> TabWriter {
        TabWriter {
            cfg,
            pending: String::new(),
            out: String::new(),
            max_widths: Vec::new(),
        }
    }

    pub fn write(&mut self, text: &str) {
        self.pending.push_str(text);
    }

    /// Formats and emits everything written so far.
    pub fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending);
        // A line of a single cell ends every column block, which is what
        // Go's writer relies on when it flushes at such a line; formatting
        // the whole buffer at once gives the same result.
        let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
        let mut widths = Vec::new();
        let mut f = Formatter {
            cfg: self.cfg,
            lines: &lines,
            out: &mut self.out,
            max_widths: &mut self.max_widths,
        };
        f.format(&mut widths, 0, lines.len());
    }

    /// Flushes and returns the text written since the last `take`; the
    /// writer goes on remembering its column widths.
    pub fn take(&mut self) -> String {
        self.flush();
        std::mem::take(&mut self.out)
    }

    /// Flushes and returns the text.
    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

/// Aligns `text` in one go.
pub fn tabwrite(text: &str, cfg: TabConfig) -> String {
    let mut w = TabWriter::new(cfg);
    w.write(text);
    w.finish()
}

struct Formatter<'a> {
    cfg: TabConfig,
    lines: &'a [Vec<&'a str>],
    out: &'a mut String,
    max_widths: &'a mut Vec<usize>,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl Formatter<'_> {
    /// Number of tab-terminated cells of a line (its cells minus the last).
    fn columns(&self, line: usize) -> usize {
        self.lines[line].len().saturating_sub(1)
    }

    fn format(&mut self, widths: &mut Vec<usize>, line0: usize, line1: usize) {
        let column = widths.len();
        let mut start = line0;
        let mut this = line0;
        while this < line1 {
            if column >= self.columns(this) {
                this += 1;
                continue;
            }
            // a column block begins at `this`
            self.write_lines(widths, start, this);
            start = this;
            let mut w = self.cfg.minwidth;
            while this < line1 && column < self.columns(this) {
                w = w.max(width(self.lines[this][column]) + self.cfg.padding);
                this += 1;
            }
            if self.cfg.remember_widths {
                if self.max_widths.len() < widths.len() {
                    let from = self.max_widths.len();
                    self.max_widths.extend_from_slice(&widths[from..]);
                }
                if self.max_widths.len() == widths.len() {
                    self.max_widths.push(w);
                } else if self.max_widths[column] > w {
                    w = self.max_widths[column];
                } else {
                    self.max_widths[column] = w;
                }
            }
            widths.push(w);
            self.format(widths, start, this);
            widths.pop();
            start = this;
        }
        self.write_lines(widths, start, line1);
    }

    fn write_lines(&mut self, widths: &[usize], line0: usize, line1: usize) {
        for i in line0..line1 {
            let line = &self.lines[i];
            for (j, cell) in line.iter().enumerate() {
                self.out.push_str(cell);
                if let Some(&w) = widths.get(j) {
                    if j + 1 < line.len() {
                        for _ in width(cell)..w {
                            self.out.push(' ');
                        }
                    }
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

/// What kubectl's table printer does to a cell before writing it: the text
/// is cut at the first line break (newline, carriage return or form feed)
/// and `...` appended.
pub fn sanitize_cell(s: &str) -> String {
    match s.find(['\n', '\r', '\x0c']) {
        Some(i) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

/// Renders a `kubectl get` table: an optional header row and data rows,
/// aligned by the get tabwriter, flushed every 100 rows as the table printer
/// does (later blocks never get narrower than earlier ones).
pub fn render_get_table<H: AsRef<[String]>>(header: Option<H>, rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut w = TabWriter::new(GET_TABLE);
    if let Some(h) = header {
        w.write(&h.as_ref().join("\t"));
        w.write("\n");
    }
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| sanitize_cell(c)).collect();
        w.write(&cells.join("\t"));
        w.write("\n");
        if (i + 1) % 100 == 0 {
            w.flush();
        }
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_padded_to_the_widest_cell_plus_three() {
        let out = tabwrite("NAME\tREADY\tAGE\nnginx-abc\t1/1\t5s\n", GET_TABLE);
        assert_eq!(out, "NAME        READY   AGE\nnginx-abc   1/1     5s\n");
    }

    #[test]
    fn the_last_cell_of_a_line_is_never_padded() {
        let out = tabwrite("a\tb\nccccc\td\n", GET_TABLE);
        assert_eq!(out, "a       b\nccccc   d\n");
    }

    #[test]
    fn a_line_without_tabs_ends_a_column_block() {
        let text = "Name:\tweb\nNamespace:\tdefault\nContainers:\n  c:\tx\n";
        let out = tabwrite(text, DESCRIBE);
        assert_eq!(
            out,
            "Name:       web\nNamespace:  default\nContainers:\n  c:  x\n"
        );
    }

    #[test]
    fn an_empty_leading_cell_is_padded_to_the_column() {
        let text = "Labels:\ta=b\n\tc=d\nAnnotations:\t<none>\n";
        let out = tabwrite(text, DESCRIBE);
        assert_eq!(
            out,
            "Labels:       a=b\n              c=d\nAnnotations:  <none>\n"
        );
    }

    #[test]
    fn a_tab_terminated_empty_value_leaves_trailing_spaces() {
        let out = tabwrite("IP:\t\nIPs:\t<none>\n", DESCRIBE);
        assert_eq!(out, "IP:   \nIPs:  <none>\n");
    }

    #[test]
    fn nested_columns_only_span_lines_that_have_them() {
        let text = "Port:\thttp\t80/TCP\nTargetPort:\t8080/TCP\n";
        let out = tabwrite(text, DESCRIBE);
        assert_eq!(out, "Port:        http  80/TCP\nTargetPort:  8080/TCP\n");
    }

    #[test]
    fn widths_count_characters_not_bytes() {
        let out = tabwrite("名字\tx\nab\ty\n", DESCRIBE);
        assert_eq!(out, "名字  x\nab  y\n");
    }

    #[test]
    fn cells_are_cut_at_line_breaks() {
        assert_eq!(sanitize_cell("first\nsecond"), "first...");
        assert_eq!(sanitize_cell("plain"), "plain");
    }

    #[test]
    fn remembered_widths_keep_later_blocks_at_least_as_wide() {
        let mut w = TabWriter::new(GET_TABLE);
        w.write("averyverylongname\tx\n");
        w.flush();
        w.write("a\ty\n");
        assert_eq!(w.finish(), "averyverylongname   x\na                   y\n");
    }

    #[test]
    fn minwidth_applies_to_narrow_columns() {
        let out = tabwrite("A\tB\nx\ty\n", GET_TABLE);
        assert_eq!(out, "A     B\nx     y\n");
    }
}
