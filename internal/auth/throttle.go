// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"container/list"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Throttle policy. Counters decay: a key's failures are forgotten
// throttleDecay after its last failure, so an honest typo costs nothing
// the next morning and the tables empty themselves.
const (
	throttleDecay = 15 * time.Minute

	// Per client address: generous before slowing (an office or a mobile
	// operator's NAT puts many users behind one address), then up to the
	// decay period itself.
	addrFree     = 10
	addrMaxDelay = 15 * time.Minute

	// Per account from untrusted clients: slows sooner, but caps at one
	// minute, so that a stranger who knows an e-mail address can slow its
	// owner, never lock them out.
	accountFree     = 5
	accountMaxDelay = time.Minute

	// Per account and trusted device: a device that already signed in to
	// this account; only its holder's own failures count here.
	deviceFree     = 5
	deviceMaxDelay = 15 * time.Minute
)

// Throttle slows password guessing without letting a stranger lock a user
// out (OWASP's "device cookie" pattern). It keys failures by the account
// (the normalised e-mail), the client address (IPv6 addresses by their
// /64, which one subscriber usually holds whole) and, when the client
// presents one, a trusted-device id: a device that already signed in
// successfully to that account (the caller issues and checks the cookie,
// and passes "" when there is none or it is not valid for the account).
//
//   - per address: after 10 failures, each further attempt waits
//     min(2^(n-10) s, 15 min);
//   - per account from untrusted clients: after 5 failures, each further
//     attempt waits min(2^(n-5) s, 60 s);
//   - per account and trusted device: after 5 failures, min(2^(n-5) s,
//     15 min); an attempt with a trusted device is not subject to the
//     untrusted per-account delay, so the real user on their usual device
//     gets in while an attacker hammers the account.
//
// Success clears the address and account+device counters, not the
// untrusted per-account one: the owner signing in must not hand an
// attacker a fresh set of free guesses.
//
// Memory is bounded: at most maxKeys counters, split between addresses
// (half), accounts (a quarter) and devices (a quarter), each pool evicting
// the counter whose last failure is oldest. Separate pools mean that an
// attacker spraying addresses evicts only addresses, not the counter of the
// account under attack.
//
// Time is passed in by the caller (the clock is injectable), so tests can
// run hours of policy in microseconds. A Throttle is safe for concurrent
// use.
type Throttle struct {
	mu       sync.Mutex
	addrs    *pool
	accounts *pool
	devices  *pool
}

// NewThrottle returns a Throttle holding at most maxKeys counters; values
// below 3 are raised to 3 (one counter per pool).
func NewThrottle(maxKeys int) *Throttle {
	maxKeys = max(maxKeys, 3)
	quarter := max(maxKeys/4, 1)
	return &Throttle{
		addrs:    newPool(maxKeys - 2*quarter),
		accounts: newPool(quarter),
		devices:  newPool(quarter),
	}
}

// Wait returns how long the caller must refuse attempts for this account,
// address and device (0 = the attempt may be checked now).
func (t *Throttle) Wait(account, addr, device string, now time.Time) time.Duration {
	account, addr = normalizeAccount(account), normalizeAddr(addr)
	t.mu.Lock()
	defer t.mu.Unlock()
	wait := t.addrs.wait(addr, now, addrFree, addrMaxDelay)
	if device != "" {
		wait = max(wait, t.devices.wait(deviceKey(account, device), now, deviceFree, deviceMaxDelay))
	} else {
		wait = max(wait, t.accounts.wait(account, now, accountFree, accountMaxDelay))
	}
	return wait
}

// Failure records a failed attempt that was actually checked (call it
// only after Wait returned 0, or refused attempts would lengthen the
// delay).
func (t *Throttle) Failure(account, addr, device string, now time.Time) {
	account, addr = normalizeAccount(account), normalizeAddr(addr)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.addrs.fail(addr, now)
	if device != "" {
		t.devices.fail(deviceKey(account, device), now)
	} else {
		t.accounts.fail(account, now)
	}
}

// Success clears the address and account+device counters after a
// successful sign-in.
func (t *Throttle) Success(account, addr, device string, now time.Time) {
	account, addr = normalizeAccount(account), normalizeAddr(addr)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.addrs.clear(addr)
	if device != "" {
		t.devices.clear(deviceKey(account, device))
	}
}

// len is the number of counters held, for tests.
func (t *Throttle) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.addrs.order.Len() + t.accounts.order.Len() + t.devices.order.Len()
}

// normalizeAccount makes "Jean@Example.CD " and "jean@example.cd" one
// counter even if a caller forgot to normalise.
func normalizeAccount(account string) string {
	return strings.ToLower(strings.TrimSpace(account))
}

// normalizeAddr keys an IPv6 client by its /64: a subscriber gets a whole
// /64 and could otherwise change address at every attempt. Anything that
// does not parse as an address is used as it is.
func normalizeAddr(addr string) string {
	ip, err := netip.ParseAddr(strings.TrimSpace(addr))
	if err != nil {
		return strings.TrimSpace(addr)
	}
	ip = ip.Unmap()
	if ip.Is6() {
		return netip.PrefixFrom(ip.WithZone(""), 64).Masked().String()
	}
	return ip.String()
}

// deviceKey ties a device to the account it signed in to: the same cookie
// is worth nothing for another account.
func deviceKey(account, device string) string {
	return account + "\x00" + device
}

// delay is min(2^(n-free) s, ceiling) once n reaches free, else 0.
func delay(n, free int, ceiling time.Duration) time.Duration {
	if n < free {
		return 0
	}
	exp := n - free
	if exp >= 30 { // 2^30 s is decades: the ceiling, without overflow
		return ceiling
	}
	return min(time.Duration(1<<exp)*time.Second, ceiling)
}

// counter is the failures of one key.
type counter struct {
	key      string
	failures int
	last     time.Time // time of the last failure
}

// pool is a bounded set of counters, most recent failure first.
type pool struct {
	max   int
	items map[string]*list.Element
	order *list.List // of *counter, front = most recent failure
}

func newPool(maxKeys int) *pool {
	return &pool{max: maxKeys, items: make(map[string]*list.Element), order: list.New()}
}

// live returns the counter of key, dropping it if it has decayed.
func (p *pool) live(key string, now time.Time) *counter {
	el := p.items[key]
	if el == nil {
		return nil
	}
	c := el.Value.(*counter)
	if now.Sub(c.last) >= throttleDecay {
		p.remove(el)
		return nil
	}
	return c
}

// wait is the time left before key may try again.
func (p *pool) wait(key string, now time.Time, free int, ceiling time.Duration) time.Duration {
	if key == "" {
		return 0
	}
	c := p.live(key, now)
	if c == nil {
		return 0
	}
	d := delay(c.failures, free, ceiling)
	// Clamped to d: a clock that stepped back must not extend the delay.
	return min(max(c.last.Add(d).Sub(now), 0), d)
}

func (p *pool) fail(key string, now time.Time) {
	if key == "" {
		return
	}
	c := p.live(key, now)
	if c == nil {
		c = &counter{key: key}
		p.items[key] = p.order.PushFront(c)
		for p.order.Len() > p.max {
			p.remove(p.order.Back())
		}
	} else {
		p.order.MoveToFront(p.items[key])
	}
	if c.failures < 1<<20 { // far past every ceiling; keeps the count finite
		c.failures++
	}
	if now.After(c.last) {
		c.last = now
	}
}

func (p *pool) clear(key string) {
	if el := p.items[key]; el != nil {
		p.remove(el)
	}
}

func (p *pool) remove(el *list.Element) {
	delete(p.items, el.Value.(*counter).key)
	p.order.Remove(el)
}
