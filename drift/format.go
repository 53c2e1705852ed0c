package drift

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// doc writes headings, paragraphs, lists and tables as Markdown or as plain
// text, and keeps the first write error.
type doc struct {
	w   io.Writer
	md  bool
	err error
	n   int // headings written, for spacing
	// blank is whether the text so far ends with an empty line.
	blank bool
}

func (d *doc) printf(format string, args ...any) {
	if d.err == nil {
		_, d.err = fmt.Fprintf(d.w, format, args...)
	}
}

func (d *doc) heading(level int, text string) {
	if d.md {
		if d.n > 0 {
			d.printf("\n")
		}
		d.printf("%s %s\n\n", strings.Repeat("#", level), text)
	} else {
		if d.n > 0 && !d.blank {
			d.printf("\n")
		}
		d.blank = false
		d.printf("%s\n", text)
		rule := "="
		if level > 1 {
			rule = "-"
		}
		if level <= 2 {
			d.printf("%s\n", strings.Repeat(rule, utf8.RuneCountInString(text)))
		}
	}
	d.n++
}

func (d *doc) para(text string) {
	if d.md {
		d.printf("%s\n\n", text)
	} else {
		d.printf("%s\n", text)
		d.blank = false
	}
}

// code marks s as literal: a code span in Markdown, as is in text.
func (d *doc) code(s string) string {
	if !d.md {
		return s
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// nested is a list item with sub-items.
func (d *doc) nested(item string, sub []string) string {
	indent := "  "
	var b strings.Builder
	b.WriteString(item)
	for _, s := range sub {
		b.WriteString("\n")
		if d.md {
			b.WriteString(indent + "- " + s)
		} else {
			b.WriteString(indent + "    " + s)
		}
	}
	return b.String()
}

func (d *doc) list(items []string) {
	if len(items) == 0 {
		return
	}
	for _, it := range items {
		if d.md {
			d.printf("- %s\n", it)
		} else {
			d.printf("  %s\n", it)
			d.blank = false
		}
	}
	if d.md {
		d.printf("\n")
	}
}

// table writes a Markdown table, or text columns padded to their widest
// cell (numbers right-aligned).
func (d *doc) table(head []string, rows [][]string) {
	if d.md {
		d.printf("| %s |\n|%s\n", strings.Join(escapeCells(head), " | "), strings.Repeat("---|", len(head)))
		for _, r := range rows {
			d.printf("| %s |\n", strings.Join(escapeCells(r), " | "))
		}
		d.printf("\n")
		return
	}
	width := make([]int, len(head))
	for i, h := range head {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString(" ")
		for i, c := range cells {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			b.WriteString(" ")
			if i > 0 && numeric(c) {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		d.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
	line(head)
	for _, r := range rows {
		line(r)
	}
	d.printf("\n")
	d.blank = true
}

func escapeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.ReplaceAll(c, "|", `\|`)
	}
	return out
}

func numeric(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789.-+eE%inf", r) {
			return false
		}
	}
	return true
}
