package adapt_test

import (
	"testing"
	"testing/synctest"

	"github.com/poolcheck/poolcheck/pools/adapt"
)

func TestGateRefusesAfterClose(t *testing.T) {
	var g adapt.Gate
	if g.Closed() {
		t.Fatal("a zero Gate is closed")
	}
	if !g.Enter() {
		t.Fatal("Enter on an open gate failed")
	}
	g.Leave()
	g.Close(nil)
	if g.Enter() {
		t.Fatal("Enter after Close succeeded")
	}
	if !g.Closed() {
		t.Fatal("Closed() is false after Close")
	}
}

// Close waits for the caller inside before stop, runs stop once, and every concurrent Close
// returns only after stop has returned.
func TestGateCloseWaitsAndStopsOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g adapt.Gate
		if !g.Enter() {
			t.Fatal("Enter failed")
		}
		stops := 0
		release := make(chan struct{})
		stop := func() { stops++; <-release }
		c1 := returned(func() { g.Close(stop) })
		c2 := returned(func() { g.Close(stop) })
		synctest.Wait()
		if stops != 0 {
			t.Fatal("stop ran while a caller was inside")
		}
		g.Leave()
		synctest.Wait()
		if stops != 1 {
			t.Fatalf("stop ran %d times, want 1", stops)
		}
		if isDone(c1) || isDone(c2) {
			t.Fatal("a Close returned before stop did")
		}
		close(release)
		<-c1
		<-c2
		g.Close(stop)
		if stops != 1 {
			t.Fatalf("stop ran %d times after a third Close, want 1", stops)
		}
	})
}

// A panic in stop reaches the first Close only; the others return.
func TestGateStopPanicReachesFirstCaller(t *testing.T) {
	var g adapt.Gate
	r := func() (r any) {
		defer func() { r = recover() }()
		g.Close(func() { panic("boom") })
		return nil
	}()
	if r != "boom" {
		t.Fatalf("first Close recovered %v, want boom", r)
	}
	g.Close(func() { t.Error("stop ran twice") })
}
