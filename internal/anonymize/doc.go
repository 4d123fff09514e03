// SPDX-License-Identifier: AGPL-3.0-or-later

// Package anonymize makes record-level releases of case data k-anonymous
// and measures them: the CTDC Global Dataset format with its quasi-
// identifiers generalised (Mondrian multidimensional partitioning over
// generalisation hierarchies) or locally suppressed, and the one
// evaluator of risk and utility (PRIVACY.md §4) whose figures go in the
// release manifest.
//
// Use:
//
//	t, err := anonymize.ReadCSV(r)            // or NewTable(header) + Append(row) per case
//	res, err := anonymize.Run(t, anonymize.DefaultConfig())
//	err = anonymize.WriteCTDCSorted(w, res, anonymize.HeaderCTDC) // or HeaderHTCDS; WriteCTDC keeps the input's order
//	man, err := res.Manifest(anonymize.EvalOptions{})       // JSON-ready
//
// DefaultConfig is issue 6's release: k = 11 on gender, age band,
// citizenship, country of exploitation and year of registration.
//
// Methods (Config.Method): every one first keeps the combinations of
// quasi-identifiers that at least k records share exactly as they are.
// MethodMondrian partitions the other records with Mondrian (LeFevre et
// al. 2006: widest normalised dimension, median cut found by counting
// codes, cuts along the hierarchy first) and releases each part
// generalised to the values it spans; MethodMondrianStrict is Mondrian on
// every record; MethodSuppress is sdcMicro-style local suppression (the
// fewest cells, written "-99"); MethodHybrid, the default, suppresses one
// cell where that is enough and partitions the rest with Mondrian. A
// residue of fewer than k records is suppressed (counted, not written).
// A suppressed cell is written "-99" like a missing value, so a rare row
// may join a released class whose cell is missing there.
//
// majorityStatus follows ageBroad: whoever knows a victim's age band
// knows whether they are a minor, so when the age band is a quasi-
// identifier and majorityStatus is released it becomes one too (beside an
// age written "-99" it would otherwise split a class into minors and
// adults, each possibly fewer than k); with eight quasi-identifiers
// already, it is not released. majorityStatusAtExploit and majorityEntry,
// which tell a hidden majority in part, are then released only when named
// as quasi-identifiers.
//
// Every quasi-identifier has a Hierarchy (CTDC age bands → Child/Adult →
// "-99", merged bands written as ranges such as "18--26" or "39+"; years
// as ranges "2014-2016"; countries → UN sub-region → region → "-99";
// gender → "-99"); HierarchyFor gives the built-in one of a column,
// NewHierarchy and NewOrdered build others. Values a hierarchy does not
// know are added under its root.
//
// ReadCSV maps a file into memory and parses it on every core; the values
// are kept as small integer codes per column (Table), so a million rows
// of 58 columns take about 1.5 s of CPU end to end (BENCHMARKS.md).
//
// Guarantees, each tested: every released combination of quasi-
// identifiers is shared by at least k released rows; every input row is
// either released, each quasi-identifier written as a label that covers
// its original value, or counted in Result.Suppressed; only columns of the
// allow-list (CTDC Global Dataset columns, or their HTCDS identifiers)
// are ever written — names, dates, free text and identifiers cannot be,
// whatever the input or the configuration; the same input and
// configuration give the same bytes.
//
// Evaluate judges any release (not only Run's): records at risk R_k,
// classes, prosecutor risk, suppressed records and cells, generalisation
// loss, non-uniform entropy, discernibility, C_AVG, and SDS's combination
// metrics up to length 3 (rare combinations, leakage per length,
// suppressed and fabricated combinations, mean absolute error, mean
// proportional error), and homogeneity — classes whose records all share
// a form of exploitation, which k-anonymity does not hide. A released cell that is not an original value (a
// range, a region, "-99" for a known value) counts as no attribute in the
// combinations: it matches no sensitive combination exactly.
package anonymize
