package thirdparty_test

import (
	"context"
	"testing"
	"testing/synctest"
)

// TestWaitIgnoresBlockedSubmit: the adapters' Wait (the tracker) waits for accepted tasks
// only, not for a Submit still blocked in the library when Wait begins.
func TestWaitIgnoresBlockedSubmit(t *testing.T) {
	for _, name := range []string{"ants", "pond-v1", "pond-v2-queue0", "semaphore"} {
		t.Run(name, func(t *testing.T) {
			e := lookup(t, name)
			synctest.Test(t, func(t *testing.T) {
				p := e.New(1)
				pr := newProbe(2)
				if err := p.Submit(context.Background(), pr.task(0)); err != nil {
					t.Fatal(err)
				}
				submitted := returned(func() { _ = p.Submit(context.Background(), pr.task(1)) })
				synctest.Wait()
				waited := returned(p.Wait)
				synctest.Wait()
				pr.release(0)
				<-waited // returns although task 1, accepted after Wait began, still runs
				<-submitted
				pr.releaseAll()
				p.Close()
			})
		})
	}
}
