// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"vigie/bench/gen"
	"vigie/internal/anonymize"
)

// anonymizeChildCommand is the hidden subcommand that runs one release in
// a child process, so that its peak RSS is the release's alone.
const anonymizeChildCommand = "__anonymize"

// sdsColumns are PRIVACY.md's SDS comparison columns (gender, age band,
// citizenship, exploitation type, recruiter relation, year), used as
// quasi-identifiers: SDS protects every column it reports.
var sdsColumns = []string{"gender", "ageBroad", "citizenship", "isForcedLabour", "isSexualExploit", "isOtherExploit", "RecruiterRelationship", "yearOfRegistration"}

// anonymizeResult is what the child prints as JSON.
type anonymizeResult struct {
	Rows, Released, Classes        int
	Read, Run, Write, Total        float64 // wall seconds
	ReadCPU, RunCPU, WriteCPU, CPU float64 // user+system seconds
	MaxRSSKB                       int64
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func anonymizeConfig(qis string, k int, method string) anonymize.Config {
	cols := anonymize.DefaultConfig().QINames()
	if qis == "sds8" {
		cols = sdsColumns
	}
	cfg := anonymize.Config{K: k, Method: anonymize.Method(method)}
	for _, c := range cols {
		cfg.QIs = append(cfg.QIs, anonymize.QI{Column: c, Hierarchy: anonymize.HierarchyFor(c)})
	}
	return cfg
}

// anonymizeChild reads IN, releases it, writes OUT, and prints the timings.
func anonymizeChild(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet(anonymizeChildCommand, flag.ContinueOnError)
	qis := fs.String("qi", "default", "default or sds8")
	k := fs.Int("k", 11, "k")
	method := fs.String("method", "mondrian", "method")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("usage: " + anonymizeChildCommand + " [flags] IN OUT")
	}
	var r anonymizeResult
	start, c0 := time.Now(), cpuSeconds()
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	t, err := anonymize.ReadCSV(f)
	f.Close()
	if err != nil {
		return err
	}
	t1, c1 := time.Now(), cpuSeconds()
	res, err := anonymize.Run(t, anonymizeConfig(*qis, *k, *method))
	if err != nil {
		return err
	}
	t2, c2 := time.Now(), cpuSeconds()
	o, err := os.Create(fs.Arg(1))
	if err != nil {
		return err
	}
	if err := anonymize.WriteCTDC(o, res, anonymize.HeaderCTDC); err != nil {
		return err
	}
	if err := o.Close(); err != nil {
		return err
	}
	t3, c3 := time.Now(), cpuSeconds()
	r.Rows, r.Released, r.Classes = t.Len(), res.Released(), len(res.Classes())
	r.Read, r.Run, r.Write, r.Total = t1.Sub(start).Seconds(), t2.Sub(t1).Seconds(), t3.Sub(t2).Seconds(), t3.Sub(start).Seconds()
	r.ReadCPU, r.RunCPU, r.WriteCPU, r.CPU = c1-c0, c2-c1, c3-c2, c3-c0
	return json.NewEncoder(stdout).Encode(r)
}

// runAnonymizeBench is `bench anonymize`: end-to-end release time and
// peak memory (child processes) on generated files and the CTDC file, then
// the evaluator's risk and utility figures at k = 10 (PRIVACY.md §2.5's
// setting) and k = 11.
func runAnonymizeBench(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("anonymize", flag.ContinueOnError)
	sizes := fs.String("n", "100000,1000000", "generated rows, comma-separated")
	utility := fs.String("utility-n", "5000,100000", "generated rows for the utility table, comma-separated")
	runs := fs.Int("runs", 3, "timed runs of each release (the median is shown)")
	only := fs.String("settings", "", "only these settings, e.g. default/hybrid,sds8/mondrian (all when empty)")
	noUtility := fs.Bool("no-utility", false, "skip the utility table")
	real := fs.String("ctdc", gen.DefaultRealPath(), "the real CTDC Global Dataset file")
	tmp := fs.String("tmp", os.TempDir(), "directory for the generated files (a subdirectory is created and removed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp(*tmp, "vigie-anonymize-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	model, err := gen.LoadFile(*real)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "load average at start: %s\n\n", loadAvg())
	fmt.Fprintln(stdout, "| file | QIs, k, method | rows released | classes | read (CPU) | anonymise (CPU) | write (CPU) | total wall | total CPU | peak RSS |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|---|---|---|")
	files := []struct{ name, path string }{{"CTDC Global Dataset 2017", *real}}
	for _, s := range strings.Split(*sizes, ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-n: %w", err)
		}
		path := filepath.Join(dir, fmt.Sprintf("gen-%d.csv", n))
		if err := model.WriteFile(path, n, 1); err != nil {
			return err
		}
		files = append(files, struct{ name, path string }{fmt.Sprintf("generated %d", n), path})
	}
	type setting struct {
		qis    string
		k      int
		method string
	}
	settings := []setting{{"default", 11, "hybrid"}, {"default", 11, "mondrian"}, {"sds8", 11, "hybrid"}, {"sds8", 11, "mondrian"}, {"sds8", 11, "mondrian-strict"}, {"sds8", 11, "suppress"}}
	if *only != "" {
		keep := settings[:0]
		for _, s := range settings {
			if slices.Contains(strings.Split(*only, ","), s.qis+"/"+s.method) {
				keep = append(keep, s)
			}
		}
		settings = keep
	}
	for _, f := range files {
		for _, s := range settings {
			var all []anonymizeResult
			for range *runs {
				out := filepath.Join(dir, "out.csv")
				cmd := exec.CommandContext(ctx, exe, anonymizeChildCommand, "-qi", s.qis, "-k", strconv.Itoa(s.k), "-method", s.method, f.path, out)
				var so, se bytes.Buffer
				cmd.Stdout, cmd.Stderr = &so, &se
				if err := cmd.Run(); err != nil {
					return fmt.Errorf("%s: %v: %s", f.name, err, se.String())
				}
				var r anonymizeResult
				if err := json.Unmarshal(so.Bytes(), &r); err != nil {
					return err
				}
				r.MaxRSSKB = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
				all = append(all, r)
			}
			slices.SortFunc(all, func(a, b anonymizeResult) int { return cmpFloat(a.Total, b.Total) })
			r := all[len(all)/2]
			fmt.Fprintf(stdout, "| %s | %s, k=%d, %s | %d / %d | %d | %.2f s (%.2f) | %.3f s (%.3f) | %.2f s (%.2f) | **%.2f s** | %.2f s | %.0f MB |\n",
				f.name, s.qis, s.k, s.method, r.Released, r.Rows, r.Classes, r.Read, r.ReadCPU, r.Run, r.RunCPU, r.Write, r.WriteCPU, r.Total, r.CPU, float64(r.MaxRSSKB)/1024)
		}
	}
	fmt.Fprintf(stdout, "\nload average after the timings: %s\n\n", loadAvg())
	if *noUtility {
		return nil
	}

	return utilityTable(model, *real, *utility, stdout)
}

// utilityTable prints the evaluator's risk and utility figures per data
// set, quasi-identifiers, k and method.
func utilityTable(model *gen.Model, real, utility string, stdout io.Writer) error {
	// Utility and risk, measured by the one evaluator.
	fmt.Fprintln(stdout, "| data | QIs, k, method | rare comb. % (floor) | suppressed comb. % | fabricated % | MAE (by length) | MPE | leakage | records suppressed | QI cells suppressed | granularity | classes | R_k | evaluate |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	type data struct {
		name string
		t    *anonymize.Table
	}
	var sets []data
	rf, err := os.Open(real)
	if err != nil {
		return err
	}
	rt, err := anonymize.ReadCSV(rf)
	rf.Close()
	if err != nil {
		return err
	}
	sets = append(sets, data{"CTDC 2017 (47,102)", rt})
	for _, s := range strings.Split(utility, ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-utility-n: %w", err)
		}
		var buf bytes.Buffer
		if err := model.Write(&buf, n, 1); err != nil {
			return err
		}
		t, err := anonymize.ParseCSV(buf.Bytes())
		if err != nil {
			return err
		}
		sets = append(sets, data{fmt.Sprintf("generated %d", n), t})
	}
	for _, d := range sets {
		for _, qis := range []string{"default", "sds8"} {
			for _, k := range []int{10, 11} {
				for _, m := range []string{"mondrian", "mondrian-strict", "suppress", "hybrid"} {
					res, err := anonymize.Run(d.t, anonymizeConfig(qis, k, m))
					if err != nil {
						return err
					}
					start := time.Now()
					mt, err := res.Evaluate(anonymize.EvalOptions{})
					if err != nil {
						return err
					}
					ev := time.Since(start)
					fmt.Fprintf(stdout, "| %s | %s, k=%d, %s | %.2f | %.2f | %.2f | %.2f (%s) | %.3f | %v | %d (%.3f %%) | %d (%.3f %%) | %.4f | %d | %.0f | %.2f s |\n",
						d.name, qis, k, m, mt.RareCombinationsPct, mt.SuppressedCombinationsPct, mt.FabricatedCombinationsPct, mt.MAE, fmtFloats(mt.MAEByLength),
						mt.MeanProportionalError, mt.Leakage, mt.SuppressedRecords, 100*mt.SuppressedRecordsShare, mt.SuppressedCells, 100*mt.SuppressedCellsShare,
						mt.Granularity, mt.Classes, mt.RecordsAtRiskShare, ev.Seconds())
				}
			}
		}
	}
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func fmtFloats(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strings.Join(s, " / ")
}
