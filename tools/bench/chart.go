package main

import (
	"fmt"
	"html"
	"math"
	"strings"
	"time"
)

// bar is one bar of a chart panel.
type bar struct {
	Label string
	Kind  string // ours, reference or floor: the colour
	Value float64
	Text  string // the value as printed at the bar's end
}

// mark is a goal drawn as a dashed line across a panel.
type mark struct {
	Value float64
	Label string
}

// panel is one horizontal bar chart with its own scale.
type panel struct {
	Title string
	Log   bool // logarithmic scale, for ratios of 10× and more
	Time  bool // the values are milliseconds
	Marks []mark
	Bars  []bar
}

// Chart geometry, in pixels.
const (
	chartWidth = 960
	labelWidth = 330
	plotWidth  = 500
	barHeight  = 18
	barGap     = 6
	titleSpace = 44
	markHeight = 12 // a goal line's label, under the bars
	panelGap   = 28
)

var colours = map[string]string{ours: "#2b6cb0", reference: "#dd6b20", floor: "#718096"}

// panels are the chart's contents: the time of each group, peak RSS of the
// module call and the binaries' sizes, each with its goals as lines.
func (r *report) panels() []panel {
	var out []panel
	for _, g := range r.Groups {
		p := panel{Title: g.Title + ": median wall time", Time: true, Marks: timeMarks(g)}
		for _, s := range g.Subjects {
			m := s.summary().Median
			p.Bars = append(p.Bars, bar{s.chartLabel(), s.Kind, float64(m) / float64(time.Millisecond), formatDuration(m)})
		}
		if p.Log = spansDecade(p.Bars); p.Log {
			p.Title += " (log scale)"
		}
		out = append(out, p)
	}
	if g := r.group("module"); g != nil {
		p := panel{Title: "Module call: peak RSS, median (MiB)"}
		if ref := g.summary(reference, "sts_assume_role").RSS; ref > 0 {
			p.Marks = []mark{{float64(ref) / 1024 / 5, "reference ÷ 5"}}
		}
		for _, s := range g.Subjects {
			rss := s.summary().RSS
			p.Bars = append(p.Bars, bar{s.chartLabel(), s.Kind, float64(rss) / 1024, formatKiB(rss)})
		}
		out = append(out, p)
	}
	for _, ctl := range r.Controllers {
		for _, c := range r.casesOn(ctl) {
			ref := c.summary("reference").Wall
			p := panel{Title: fmt.Sprintf("Over SSH (%s), ansible-core %s, %d hosts, %d task(s) each: median wall time", c.Link, ctl.Core, c.Hosts, c.Tasks), Time: true,
				Marks: []mark{{float64(ref) / float64(time.Millisecond) * 0.5, "reference × 0.5"}}}
			for _, kind := range sshSubjects {
				k, label := ours, kind
				if kind == "reference" {
					k, label = reference, "reference, "+ctl.RefCollection
				}
				w := c.summary(kind).Wall
				p.Bars = append(p.Bars, bar{label, k, float64(w) / float64(time.Millisecond), formatDuration(w)})
			}
			out = append(out, p)
		}
	}
	p := panel{Title: "Binary size, linux/amd64 (MiB)", Marks: []mark{{8, "8 MiB"}}}
	for _, b := range r.Sizes {
		kind := ours
		if b.Name == "floor" {
			kind = floor
		}
		v := float64(b.LinuxAMD64) / mib
		p.Bars = append(p.Bars, bar{b.Name, kind, v, fmt.Sprintf("%.2f MiB", v)})
	}
	return append(out, p)
}

// spansDecade reports whether the largest bar is 10 times the smallest or
// more, when a log scale keeps both readable.
func spansDecade(bars []bar) bool {
	lo, hi := math.Inf(1), 0.0
	for _, br := range bars {
		lo, hi = math.Min(lo, br.Value), math.Max(hi, br.Value)
	}
	return lo > 0 && hi >= 10*lo
}

// timeMarks are the time goals of g: 1.25× the floor and the reference ÷ 30
// for the module call, 0.6× the reference for the playbook.
func timeMarks(g *group) []mark {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	ref := g.summary(reference, "sts_assume_role").Median
	switch g.Name {
	case "module":
		return []mark{{ms(g.summary(floor, "sts_assume_role").Median) * 1.25, "floor × 1.25"}, {ms(ref) / 30, "reference ÷ 30"}}
	case "playbook":
		return []mark{{ms(ref) * 0.6, "reference × 0.6"}}
	}
	return nil
}

// chartLabel is the subject's label, shortened for ansible commands.
func (s *subject) chartLabel() string {
	if s.Short != "" {
		return s.Short
	}
	return s.Label
}

// chart renders the panels as one SVG document.
func (r *report) chart() string {
	panels := r.panels()
	height := 60
	for _, p := range panels {
		height += titleSpace + len(p.Bars)*(barHeight+barGap) + markHeight*len(p.Marks) + panelGap
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="13">`+"\n",
		chartWidth, height, chartWidth, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", chartWidth, height)
	y := 10
	for i, kind := range []string{ours, reference, floor} {
		x := 10 + 120*i
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="14" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n",
			x, y, colours[kind], x+20, y+12, kind)
	}
	y = 50
	for _, p := range panels {
		y = p.render(&b, y)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// render draws p from y and returns the y below it: the title, the scale's
// ticks, the goal lines with their labels under the bars, and the bars.
func (p panel) render(b *strings.Builder, y int) int {
	fmt.Fprintf(b, `<text x="10" y="%d" font-weight="bold">%s</text>`+"\n", y+14, html.EscapeString(p.Title))
	y += titleSpace
	scale := newScale(p)
	bottom := y + len(p.Bars)*(barHeight+barGap) - barGap
	for _, t := range scale.ticks {
		x := labelWidth + scale.x(t)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e2e8f0"/>`+"\n", x, y-4, x, bottom+2)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="10" fill="#718096" text-anchor="middle">%s</text>`+"\n", x, y-6, scale.label(t))
	}
	for i, br := range p.Bars {
		top := y + i*(barHeight+barGap)
		w := math.Max(scale.x(br.Value), 1)
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", labelWidth-8, top+barHeight-4, html.EscapeString(br.Label))
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", labelWidth, top, w, barHeight, colours[br.Kind])
		fmt.Fprintf(b, `<text x="%.1f" y="%d">%s</text>`+"\n", float64(labelWidth)+w+6, top+barHeight-4, html.EscapeString(br.Text))
	}
	for i, m := range p.Marks {
		x := labelWidth + scale.x(m.Value)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#c53030" stroke-dasharray="4 3"/>`+"\n", x, y-4, x, bottom+4+markHeight*i)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="10" fill="#c53030">%s</text>`+"\n", x+3, bottom+12+markHeight*i, html.EscapeString(m.Label))
	}
	return bottom + markHeight*len(p.Marks) + panelGap
}

// scale maps a panel's values to pixels.
type scale struct {
	log    bool
	time   bool // label ticks as ms or s
	lo, hi float64
	ticks  []float64
}

// newScale spans p's values and marks: whole decades on a log scale, zero
// to a round maximum on a linear one.
func newScale(p panel) scale {
	lo, hi := math.Inf(1), 0.0
	for _, br := range p.Bars {
		lo, hi = math.Min(lo, br.Value), math.Max(hi, br.Value)
	}
	for _, m := range p.Marks {
		if m.Value > 0 {
			lo, hi = math.Min(lo, m.Value), math.Max(hi, m.Value)
		}
	}
	if hi <= 0 || math.IsInf(lo, 1) {
		return scale{lo: 0, hi: 1, time: p.Time}
	}
	if p.Log {
		s := scale{log: true, time: p.Time, lo: math.Pow(10, math.Floor(math.Log10(lo))), hi: math.Pow(10, math.Ceil(math.Log10(hi)))}
		if s.hi <= s.lo {
			s.hi = s.lo * 10
		}
		for t := s.lo; t <= s.hi*1.0001; t *= 10 {
			s.ticks = append(s.ticks, t)
		}
		return s
	}
	step := math.Pow(10, math.Floor(math.Log10(hi)))
	if hi/step < 3 {
		step /= 2
	}
	s := scale{time: p.Time, lo: 0, hi: math.Ceil(hi/step) * step}
	for t := 0.0; t <= s.hi*1.0001; t += step {
		s.ticks = append(s.ticks, t)
	}
	return s
}

// x is the pixel offset of v from the plot's left edge.
func (s scale) x(v float64) float64 {
	if s.log {
		if v <= s.lo {
			return 0
		}
		return plotWidth * math.Log10(v/s.lo) / math.Log10(s.hi/s.lo)
	}
	return plotWidth * (v - s.lo) / (s.hi - s.lo)
}

// label prints a tick: a time as ms or s, anything else as a number.
func (s scale) label(t float64) string {
	if !s.time {
		return fmt.Sprintf("%g", t)
	}
	if t >= 1000 {
		return fmt.Sprintf("%g s", t/1000)
	}
	return fmt.Sprintf("%g ms", t)
}
