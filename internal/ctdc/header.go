// SPDX-License-Identifier: AGPL-3.0-or-later

package ctdc

import (
	"fmt"
	"strings"
	"vigie/internal/textdist"

	"vigie/internal/domain"
)

// checkHeader detects the format from the header and maps each canonical
// column to its position in the file. The format is the one sharing the
// most column names with the header; every missing, unknown or repeated
// column is reported.
func checkHeader(hdr []string) (*formatSpec, []int, error) {
	names := make([]string, len(hdr))
	for i, h := range hdr {
		names[i] = strings.TrimSpace(h)
	}
	var spec *formatSpec
	best := 0
	for _, s := range specs {
		n := 0
		for _, h := range names {
			if _, ok := s.index[h]; ok {
				n++
			}
		}
		if n > best || n == best && spec != nil && len(s.columns) < len(spec.columns) {
			spec, best = s, n
		}
	}
	if spec == nil {
		// Names are case-sensitive, but a header written in another case
		// is still a CTDC header: pick its format so that every column is
		// named with its right spelling below.
		for _, s := range specs {
			n := 0
			for _, h := range names {
				if s.foldIndex(h) >= 0 {
					n++
				}
			}
			if n > best {
				spec, best = s, n
			}
		}
	}
	if spec == nil {
		var p domain.Problems
		for _, s := range specs {
			p.Add("expected header", "ctdc.expected_header", "%s (%s)", strings.Join(s.columns, ","), s.title)
		}
		return nil, nil, &domain.Error{Kind: domain.KindInvalid, Message: "la première ligne n'est pas un en-tête CTDC : elle n'a aucune des colonnes des jeux de données CTDC connus / the first line is not a CTDC header: it has none of the columns of the known CTDC datasets", Fields: p}
	}

	pos := make([]int, len(spec.columns))
	for i := range pos {
		pos[i] = -1
	}
	var p domain.Problems
	var unknown []int
	for i, h := range names {
		c, ok := spec.index[h]
		switch {
		case !ok:
			unknown = append(unknown, i)
		case pos[c] >= 0:
			p.Add("line 1", "ctdc.duplicate_column", "column %d %s repeats column %d", i+1, quote(h), pos[c]+1)
		default:
			pos[c] = i
		}
	}
	suggested := map[int]bool{}
	for k, i := range unknown {
		h := names[i]
		if k >= maxHeaderProblems {
			p.Add("line 1", "ctdc.unknown_column", "column %d %s is not a CTDC column", i+1, quote(h))
			continue
		}
		if other := otherFormat(spec, h); other != nil {
			p.Add("line 1", "ctdc.unknown_column", "column %d %s is a column of the %s, not of the %s", i+1, quote(h), other.title, spec.title)
			continue
		}
		if c := suggest(spec, pos, h); c >= 0 && !suggested[c] {
			suggested[c] = true
			note := ""
			if strings.EqualFold(h, spec.columns[c]) {
				note = " (column names are case-sensitive)"
			}
			p.Add("line 1", "ctdc.unknown_column", "column %d %s is not a CTDC column; did you mean %q?%s", i+1, quote(h), spec.columns[c], note)
			continue
		}
		p.Add("line 1", "ctdc.unknown_column", "column %d %s is not a CTDC column", i+1, quote(h))
	}
	for c, at := range pos {
		if at < 0 && !suggested[c] {
			p.Add("line 1", "ctdc.missing_column", "column %q is missing (expected as column %d)", spec.columns[c], c+1)
		}
	}
	if len(p) == 0 {
		return spec, pos, nil
	}
	if len(p) > maxHeaderProblems {
		n := len(p) - maxHeaderProblems
		p = p[:maxHeaderProblems]
		p.Add("line 1", "ctdc.more_problems", "and %d more problems", n)
	}
	p.Add("expected header", "ctdc.expected_header", "%s", strings.Join(spec.columns, ","))
	return nil, nil, &domain.Error{
		Kind:    domain.KindInvalid,
		Message: fmt.Sprintf("l'en-tête ne correspond pas au format %[2]s / the header does not match the %[1]s (format %[2]s)", spec.title, spec.format),
		Fields:  p,
	}
}

// foldIndex returns the column whose name is h in another letter case, or
// -1.
func (s *formatSpec) foldIndex(h string) int {
	for c, name := range s.columns {
		if strings.EqualFold(h, name) {
			return c
		}
	}
	return -1
}

// maxHeaderProblems bounds the problems listed for one header.
const maxHeaderProblems = 20

// otherFormat returns the other format that has column h, if any.
func otherFormat(spec *formatSpec, h string) *formatSpec {
	for _, s := range specs {
		if _, ok := s.index[h]; ok && s != spec {
			return s
		}
	}
	return nil
}

// suggest returns the missing column closest to h (case-insensitive edit
// distance at most 2, or a quarter of the column name's length), or -1.
func suggest(spec *formatSpec, pos []int, h string) int {
	if h == "" || len(h) > 100 {
		return -1
	}
	best, bestD := -1, 0
	lh := strings.ToLower(h)
	for c, name := range spec.columns {
		if pos[c] >= 0 {
			continue
		}
		limit := max(2, len(name)/4)
		if diff := len(h) - len(name); diff > limit || -diff > limit {
			continue // the distance is at least the difference in length
		}
		d := textdist.Levenshtein(lh, strings.ToLower(name))
		if d > limit {
			continue
		}
		if best < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
