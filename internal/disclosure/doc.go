// SPDX-License-Identifier: AGPL-3.0-or-later

// Package disclosure publishes aggregate tables of case counts without
// letting a reader learn about any one victim. Two methods, chosen per
// release:
//
//   - Cell suppression. Cells (and margins) counting between 1 and
//     threshold−1 people are hidden (primary suppression). Then more cells
//     are hidden (secondary, or complementary, suppression) until no hidden
//     cell can be worked out from the published cells and totals: every
//     hidden cell must lie on a cycle of hidden cells along which values can
//     move while every row and column still adds up (graph.go explains why
//     that is exactly the condition for 1-D and 2-D tables; 3-D tables use
//     2×2×2 cubes of hidden cells, a sufficient condition, cube.go). Zero
//     cells are published as zero and never hidden, so a reader knows
//     every hidden cell holds at least one person; the check takes that
//     into account.
//
//   - Differential privacy. Every cell gets discrete Laplace noise from a
//     secure sampler built on integer arithmetic (laplace.go); a cell whose
//     categories are not fixed in advance is released only if its noisy
//     count reaches a threshold derived from δ (partition selection,
//     threshold.go); margins are sums of released noisy cells, so the table
//     adds up. Budgets add up across tables and releases (budget.go).
//
// The package depends on the standard library only: it takes rows of
// category strings and returns tables; where rows come from and where the
// tables go is the caller's business.
package disclosure
