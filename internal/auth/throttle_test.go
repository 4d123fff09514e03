// SPDX-License-Identifier: AGPL-3.0-or-later

package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is the injected time of the throttle scenarios.
type clock struct{ now time.Time }

func newClock() *clock { return &clock{time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)} }

func (c *clock) advance(d time.Duration) { c.now = c.now.Add(d) }

const victim = "marie@example.cd"

// attackerAddr is a different address for each attempt, as from a botnet.
func attackerAddr(i int) string { return fmt.Sprintf("198.51.%d.%d", i/250, i%250+1) }

// TestThrottleTrustedDeviceUnaffected: an attacker hammering the account
// from many addresses slows untrusted clients, but the owner on their
// usual device, which has no failures, is never made to wait.
func TestThrottleTrustedDeviceUnaffected(t *testing.T) {
	th, c := NewThrottle(10000), newClock()
	attackerWaited := false
	for i := range 500 {
		addr := attackerAddr(i)
		if w := th.Wait(victim, addr, "", c.now); w > 0 {
			attackerWaited = true
			c.advance(w) // a patient attacker waits, then tries again
		}
		th.Failure(victim, addr, "", c.now)
		if w := th.Wait(victim, "203.0.113.7", "device-of-marie", c.now); w != 0 {
			t.Fatalf("after %d attacker failures the owner's trusted device waits %v", i+1, w)
		}
		c.advance(100 * time.Millisecond)
	}
	if !attackerWaited {
		t.Error("the attacker was never slowed")
	}
	// The attacker's own guesses with a stolen device id for another
	// account would count on that device only: the owner's device id is
	// tied to her account.
	th.Failure("autre@example.cd", "198.18.0.1", "device-of-marie", c.now)
	if w := th.Wait(victim, "203.0.113.7", "device-of-marie", c.now); w != 0 {
		t.Errorf("a failure of the same device id on another account made the owner wait %v", w)
	}
}

// TestThrottleUntrustedAccountCapped: the per-account delay for untrusted
// clients reaches 60 s and never more, however many failures.
func TestThrottleUntrustedAccountCapped(t *testing.T) {
	th, c := NewThrottle(10000), newClock()
	var last time.Duration
	for i := range 200 {
		th.Failure(victim, attackerAddr(i), "", c.now)
		w := th.Wait(victim, "203.0.113.7", "", c.now)
		if w > time.Minute {
			t.Fatalf("after %d failures an untrusted client waits %v, over 60 s", i+1, w)
		}
		want := delay(i+1, 5, time.Minute)
		if w != want {
			t.Fatalf("after %d failures wait %v, want %v", i+1, w, want)
		}
		last = w
		c.advance(w)
	}
	if last != time.Minute {
		t.Errorf("final wait %v, want the 60 s ceiling", last)
	}
}

// TestThrottleDelays checks each counter's schedule: free attempts, then
// doubling delays up to its ceiling.
func TestThrottleDelays(t *testing.T) {
	tests := []struct {
		name    string
		fail    func(th *Throttle, i int, now time.Time)
		wait    func(th *Throttle, now time.Time) time.Duration
		ceiling time.Duration
		free    int
	}{
		{
			name: "per address",
			// a different account each time, so that only the address counts
			fail: func(th *Throttle, i int, now time.Time) {
				th.Failure(fmt.Sprintf("u%d@example.cd", i), "192.0.2.1", "", now)
			},
			wait: func(th *Throttle, now time.Time) time.Duration {
				return th.Wait("new@example.cd", "192.0.2.1", "", now)
			},
			free:    10,
			ceiling: 15 * time.Minute,
		},
		{
			name:    "per account and trusted device",
			fail:    func(th *Throttle, i int, now time.Time) { th.Failure(victim, attackerAddr(i), "dev1", now) },
			wait:    func(th *Throttle, now time.Time) time.Duration { return th.Wait(victim, "203.0.113.7", "dev1", now) },
			free:    5,
			ceiling: 15 * time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th, c := NewThrottle(10000), newClock()
			prev := time.Duration(0)
			for n := 1; n <= tt.free+15; n++ {
				tt.fail(th, n, c.now)
				w := tt.wait(th, c.now)
				switch {
				case n < tt.free && w != 0:
					t.Fatalf("after %d failures wait %v, want 0 (free attempts)", n, w)
				case n >= tt.free && w != min(time.Duration(1<<(n-tt.free))*time.Second, tt.ceiling):
					t.Fatalf("after %d failures wait %v, want min(2^%d s, %v)", n, w, n-tt.free, tt.ceiling)
				case w < prev:
					t.Fatalf("after %d failures wait %v shrank from %v", n, w, prev)
				}
				prev = w
				// Waiting part of the delay shortens what is left of it.
				if w > time.Second {
					if half := tt.wait(th, c.now.Add(w/2)); half != w-w/2 {
						t.Fatalf("half-way through %v, wait %v, want %v", w, half, w-w/2)
					}
				}
				// Wait out the delay, but stay within the decay period.
				c.advance(min(w, throttleDecay-time.Second))
			}
			if prev != tt.ceiling {
				t.Errorf("final wait %v, want the ceiling %v", prev, tt.ceiling)
			}
		})
	}
}

// TestThrottleDecay: 15 minutes after the last failure, a key's failures
// are forgotten; one second earlier they are not.
func TestThrottleDecay(t *testing.T) {
	th, c := NewThrottle(100), newClock()
	for range 12 {
		th.Failure(victim, "192.0.2.1", "", c.now)
	}
	if w := th.Wait(victim, "192.0.2.1", "", c.now.Add(throttleDecay-time.Second)); w != 0 {
		// 12 failures: address 4 s, account 60 s, both long past.
		t.Fatalf("just before the decay, wait %v, want 0 (delays elapsed)", w)
	}
	before := th.len()
	c.advance(throttleDecay)
	if w := th.Wait(victim, "192.0.2.1", "", c.now); w != 0 {
		t.Fatalf("after the decay wait %v, want 0", w)
	}
	// Forgotten, not just elapsed: the next failures start from one again.
	for range 4 {
		th.Failure(victim, "192.0.2.1", "", c.now)
	}
	if w := th.Wait(victim, "192.0.2.1", "", c.now); w != 0 {
		t.Errorf("4 failures after the decay: wait %v, want 0", w)
	}
	th.Failure(victim, "192.0.2.1", "", c.now)
	if w := th.Wait(victim, "192.0.2.1", "", c.now); w != time.Second {
		t.Errorf("5 failures after the decay: wait %v, want 1 s", w)
	}
	if before != 2 || th.len() != 2 {
		t.Errorf("counters held: %d then %d, want 2 and 2", before, th.len())
	}
}

// TestThrottleSuccess: a success clears the address and the device
// counters but not the untrusted per-account one.
func TestThrottleSuccess(t *testing.T) {
	th, c := NewThrottle(100), newClock()
	for range 20 {
		th.Failure(victim, "192.0.2.1", "dev1", c.now)
	}
	for range 12 {
		th.Failure(victim, "192.0.2.2", "", c.now)
	}
	if th.Wait(victim, "192.0.2.1", "dev1", c.now) == 0 || th.Wait("other@example.cd", "192.0.2.2", "", c.now) != 4*time.Second {
		t.Fatal("the failures did not slow the device and the address")
	}
	th.Success(victim, "192.0.2.1", "dev1", c.now)
	if w := th.Wait(victim, "192.0.2.1", "dev1", c.now); w != 0 {
		t.Errorf("after success the device waits %v, want 0", w)
	}
	if w := th.Wait(victim, "192.0.2.9", "", c.now); w != time.Minute {
		t.Errorf("after success an untrusted client waits %v, want 60 s (not cleared)", w)
	}
	th.Success(victim, "192.0.2.2", "", c.now)
	if w := th.Wait("other@example.cd", "192.0.2.2", "", c.now); w != 0 {
		t.Errorf("after an untrusted success its address waits %v, want 0", w)
	}
}

// TestThrottleMemoryBound: 100 000 addresses spraying failures never make
// the throttle hold more than maxKeys counters, and do not evict the
// counter of the account under attack.
func TestThrottleMemoryBound(t *testing.T) {
	t.Parallel() // the slowest throttle test; it shares nothing
	const maxKeys = 1000
	th, c := NewThrottle(maxKeys), newClock()
	for range 8 {
		th.Failure(victim, "192.0.2.1", "", c.now)
	}
	for i := range 100_000 {
		th.Failure(fmt.Sprintf("spray%d@example.cd", i%100), fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255), "", c.now)
		if i%10_000 == 0 && th.len() > maxKeys {
			t.Fatalf("%d counters after %d addresses, over %d", th.len(), i+1, maxKeys)
		}
	}
	if n := th.len(); n > maxKeys {
		t.Errorf("%d counters, over %d", n, maxKeys)
	}
	if w := th.Wait(victim, "203.0.113.7", "", c.now); w != 8*time.Second {
		t.Errorf("the attacked account's counter was evicted by the spray: wait %v, want 8 s", w)
	}
	if tiny := NewThrottle(0); tiny.addrs.max+tiny.accounts.max+tiny.devices.max != 3 {
		t.Error("NewThrottle(0) does not hold one counter per pool")
	}
}

// TestThrottleIPv6Prefix: addresses of one /64 share a counter; another
// /64 does not; IPv4-mapped addresses count as IPv4.
func TestThrottleIPv6Prefix(t *testing.T) {
	th, c := NewThrottle(1000), newClock()
	for i := range 10 {
		th.Failure(fmt.Sprintf("u%d@example.cd", i), fmt.Sprintf("2001:db8:1:2::%x", i+1), "", c.now)
	}
	if w := th.Wait("new@example.cd", "2001:db8:1:2:ffff::1", "", c.now); w != time.Second {
		t.Errorf("same /64: wait %v, want 1 s", w)
	}
	if w := th.Wait("new@example.cd", "2001:db8:1:3::1", "", c.now); w != 0 {
		t.Errorf("other /64: wait %v, want 0", w)
	}
	for i := range 10 {
		th.Failure(fmt.Sprintf("v%d@example.cd", i), "::ffff:192.0.2.1", "", c.now)
	}
	if w := th.Wait("new@example.cd", "192.0.2.1", "", c.now); w != time.Second {
		t.Errorf("IPv4-mapped: wait %v, want 1 s", w)
	}
}

func TestThrottleAccountNormalised(t *testing.T) {
	th, c := NewThrottle(100), newClock()
	for i := range 5 {
		th.Failure(" Marie@Example.CD", attackerAddr(i), "", c.now)
	}
	if w := th.Wait(victim, "203.0.113.7", "", c.now); w != time.Second {
		t.Errorf("wait %v, want 1 s: the account was not normalised", w)
	}
}

// TestThrottleConcurrent is for the race detector.
func TestThrottleConcurrent(t *testing.T) {
	th := NewThrottle(50)
	now := newClock().now
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				addr := fmt.Sprintf("192.0.2.%d", (g*500+i)%200)
				th.Wait(victim, addr, "dev", now)
				th.Failure(victim, addr, "dev", now)
				if i%50 == 0 {
					th.Success(victim, addr, "dev", now)
				}
			}
		})
	}
	wg.Wait()
	if th.len() > 50 {
		t.Errorf("%d counters, over 50", th.len())
	}
}
