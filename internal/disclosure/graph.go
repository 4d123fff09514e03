// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"container/heap"
	"math"
)

// Why a cycle, and why this graph.
//
// A 2-D table with its margins is a bipartite graph: one node per row
// plus a "total" row node, one node per column plus a "total" column
// node; every published number is an edge — cell (i, j) joins row i and
// column j, row i's total joins row i and the total column, column j's
// total joins the total row and column j, and the grand total joins the
// two total nodes. The additivity of the table is one equation per node:
// at row node i, Σ_j x(i,j) − x(i,total) = 0, and likewise elsewhere, the
// edge to a total node entering with the sign σ = −1 when exactly one of
// its ends is a total node.
//
// A reader knows the visible edges; the hidden ones are unknowns. Change
// the hidden values by a vector d with every node still balanced: d is
// supported on cycles of hidden edges (flip the sign of the σ = −1 edges
// and the incidence matrix is that of a bipartite graph, whose kernel is
// spanned by its even cycles with alternating ±1). So a hidden edge on no
// hidden cycle — a bridge — is determined exactly, and one on a cycle is
// not, as long as the values can actually move along the cycle: every
// edge decreased must stay at or above what the reader knows is its
// least value L. Zero cells are never hidden, so L = 1.
//
// That is exact, not just sufficient: if some solution x' has x'_e ≠ x_e,
// x' − x is an integral circulation that decomposes into cycles conformal
// to it, so the cycle through e among them can be applied alone. Hence
// the test below — "is there a cycle through e along which it can move by
// one, in one direction or the other?" — decides whether e is determined,
// and the property test (suppress_test.go) checks it against enumeration
// of every integer solution.
//
// On a bipartite graph the sign of the change of an edge along a cycle
// depends only on the direction it is crossed in (row side → column side
// gives +σ, the other way −σ): moving along a cycle is a walk in a
// directed graph whose arcs are "edge crossed in a direction where it may
// change". Breadth-first search finds a cycle; Dijkstra finds the
// cheapest visible edges to hide to make one (secondary suppression).
//
// A 1-D table is the same with a single row node and one column node
// standing for every cell: the cells and the total are parallel edges,
// the total with σ = −1.

// edge is one published number of a table.
type edge struct {
	a, b   int // a on the row side, b on the column side
	sigma  int64
	value  int64
	hidden bool
	tier   int // 0 inner cell, 1 margin, 2 grand total: the cost of hiding it grows with it
	cell   int // position in the table's Counts
}

type graph struct {
	edges []edge
	adj   [][]int // node → edges
	least int64   // what a reader knows every hidden value is at least
	move  int64   // how far a hidden value must be able to move (the protection)
	total int64   // grand total, to scale costs
}

// change is the change of e's value when it is crossed from a to b
// (forward) or from b to a, in a cycle moving by +1 in that direction.
func (g *graph) change(e int, forward bool) int64 {
	if forward {
		return g.edges[e].sigma
	}
	return -g.edges[e].sigma
}

// movable reports whether e may be crossed in that direction: its value
// either grows, or has room to shrink by move and stay at least least.
func (g *graph) movable(e int, forward bool) bool {
	return g.change(e, forward) > 0 || g.edges[e].value-g.move >= g.least
}

// other is e's end that is not n, and whether going there from n crosses
// e forward (row side to column side).
func (g *graph) other(e, n int) (int, bool) {
	if g.edges[e].a == n {
		return g.edges[e].b, true
	}
	return g.edges[e].a, false
}

// protected reports whether hidden edge e lies on a cycle of hidden
// edges along which it can move.
func (g *graph) protected(e int) bool {
	ed := g.edges[e]
	return g.movable(e, true) && g.hiddenPath(e, ed.b, ed.a) ||
		g.movable(e, false) && g.hiddenPath(e, ed.a, ed.b)
}

// hiddenPath reports whether hidden edges other than skip lead from
// from to to, each crossed in a movable direction.
func (g *graph) hiddenPath(skip, from, to int) bool {
	seen := make([]bool, len(g.adj))
	queue := []int{from}
	seen[from] = true
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == to {
			return true
		}
		for _, e := range g.adj[n] {
			if e == skip || !g.edges[e].hidden {
				continue
			}
			m, fwd := g.other(e, n)
			if !seen[m] && g.movable(e, fwd) {
				seen[m] = true
				queue = append(queue, m)
			}
		}
	}
	return false
}

// cost of hiding e: its count, and margins only when no inner cells will do.
func (g *graph) cost(e int) float64 {
	ed := g.edges[e]
	c := float64(ed.value + 1)
	scale := float64(g.total + 2)
	return c * math.Pow(scale, float64(ed.tier))
}

// cheapestPath returns the visible edges to hide so that hidden or newly
// hidden edges other than skip lead from from to to, crossed in movable
// directions, at the least cost; ok is false when there is none. A
// visible edge below least (a zero cell) is never hidden.
func (g *graph) cheapestPath(skip, from, to int) (edges []int, cost float64, ok bool) {
	dist := make([]float64, len(g.adj))
	via := make([]int, len(g.adj))
	for i := range dist {
		dist[i], via[i] = math.Inf(1), -1
	}
	dist[from] = 0
	pq := &nodeQueue{{from, 0}}
	for pq.Len() > 0 {
		it := heap.Pop(pq).(nodeDist)
		if it.d > dist[it.n] {
			continue
		}
		if it.n == to {
			break
		}
		for _, e := range g.adj[it.n] {
			ed := g.edges[e]
			if e == skip || !ed.hidden && ed.value < g.least {
				continue
			}
			m, fwd := g.other(e, it.n)
			if !g.movable(e, fwd) {
				continue
			}
			d := it.d
			if !ed.hidden {
				d += g.cost(e)
			}
			if d < dist[m] {
				dist[m], via[m] = d, e
				heap.Push(pq, nodeDist{m, d})
			}
		}
	}
	if math.IsInf(dist[to], 1) {
		return nil, 0, false
	}
	for n := to; n != from; {
		e := via[n]
		if !g.edges[e].hidden {
			edges = append(edges, e)
		}
		n, _ = g.other(e, n)
	}
	return edges, dist[to], true
}

// protect hides the cheapest further edges until every hidden edge is
// protected. Hiding only adds cycles, so an edge once protected stays so,
// and the edges hidden for e share e's cycle and are protected with it:
// one pass over the hidden edges suffices. It returns false if some edge
// cannot be protected at all (the caller then hides the whole table).
func (g *graph) protect(order []int) bool {
	for _, e := range order {
		if g.protected(e) {
			continue
		}
		ed := g.edges[e]
		var best []int
		bestCost, found := math.Inf(1), false
		if g.movable(e, true) {
			if p, c, ok := g.cheapestPath(e, ed.b, ed.a); ok && c < bestCost {
				best, bestCost, found = p, c, true
			}
		}
		if g.movable(e, false) {
			if p, c, ok := g.cheapestPath(e, ed.a, ed.b); ok && c < bestCost {
				best, found = p, true
			}
		}
		if !found {
			return false
		}
		for _, f := range best {
			g.edges[f].hidden = true
		}
	}
	return true
}

type nodeDist struct {
	n int
	d float64
}

type nodeQueue []nodeDist

func (q nodeQueue) Len() int           { return len(q) }
func (q nodeQueue) Less(i, j int) bool { return q[i].d < q[j].d }
func (q nodeQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *nodeQueue) Push(x any)        { *q = append(*q, x.(nodeDist)) }
func (q *nodeQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
