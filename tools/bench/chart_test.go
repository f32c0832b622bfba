package main

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestChartIsWellFormedSVG(t *testing.T) {
	r := &report{
		Groups: []*group{{Name: "module", Title: "Module call <&>", Subjects: []*subject{
			{Label: "ours", Kind: ours, Module: "sts_assume_role", Walls: []time.Duration{12 * time.Millisecond}, RSS: []int64{9000}},
			{Label: "reference", Kind: reference, Module: "sts_assume_role", Walls: []time.Duration{450 * time.Millisecond}, RSS: []int64{48000}},
		}}},
		Sizes: []binary{{Name: "sts_assume_role", LinuxAMD64: 9 * mib}},
	}
	svg := r.chart()
	dec := xml.NewDecoder(strings.NewReader(svg))
	bars := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rect" {
			bars++
		}
	}
	// The background, three legend keys, two time bars, two RSS bars, one size bar.
	if bars != 9 {
		t.Errorf("%d rect elements, want 9", bars)
	}
}

func TestLogScaleOnlyAcrossADecade(t *testing.T) {
	if !spansDecade([]bar{{Value: 12}, {Value: 450}}) || spansDecade([]bar{{Value: 11}, {Value: 35}}) {
		t.Error("a log scale for 12 and 450 ms, a linear one for 11 and 35 s")
	}
}

func TestLogScaleSpansWholeDecades(t *testing.T) {
	s := newScale(panel{Log: true, Bars: []bar{{Value: 12}, {Value: 450}}})
	if s.lo != 10 || s.hi != 1000 || len(s.ticks) != 3 {
		t.Errorf("scale %+v, want 10 to 1000 with 3 ticks", s)
	}
	if x := s.x(100); x != plotWidth/2 {
		t.Errorf("x(100) = %v, want the middle", x)
	}
}
