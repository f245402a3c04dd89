package bench

// BenchmarkPool runs one body per scenario over every pool of the catalogue (ours, then
// third-party) and the reference pseudo-pools of reference.go, named
//
//	BenchmarkPool/scenario=S/pool=P/limit=L-GOMAXPROCS
//
// so that `benchstat -col /pool` puts the designs side by side and `-row /scenario,/limit`
// (the default rows) compares like with like. Every run reports allocations; ns/op is the
// wall time per task, from the first Submit to the end of Wait, on a warm pool: before the
// timer starts, every pool runs limit tasks at once (see warm), so ns/op and B/op are the
// steady-state cost per task, without a pool's one-off start-up (making the pool, starting
// its workers, closing it), which no longer depends on b.N.
//
// Scenarios (P is runtime.GOMAXPROCS when the suite starts: the machine's CPUs or the
// GOMAXPROCS variable, so a bigger machine gives more points without code changes;
// duplicates are dropped). -cpu does not change the limits: the testing package applies it
// to each leaf benchmark, after the names are made, so every -cpu value runs the same
// names, with a -N suffix for GOMAXPROCS N (none for 1):
//
//	submit           one submitter, empty tasks: the pure cost of a hand-off.  limits P, 64
//	submit-parallel  GOMAXPROCS submitters (see parallel), empty tasks.       limits P, 64
//	saturated        32×GOMAXPROCS submitters, each in a closed loop (submit,
//	                 wait for its task to end, again), short CPU tasks: far more
//	                 submitters than slots, the thundering herd when a slot
//	                 frees. Also reports p50-ns and p99-ns from Submit to task
//	                 start: the fairness of the hand-off.                      limits 1, P
//	blocking         one submitter, tasks that sleep blockFor (I/O-like).      limits 1, P, 64, 1024
//	latency          one submitter in a closed loop on an idle pool: p50-ns and
//	                 p99-ns from the call to Submit to the task's first line.  limit P
//
// Rejecting pools (Traits.Rejects): when Submit returns pools.ErrFull the body yields
// (runtime.Gosched) and submits the same task again, until it is accepted. Every one of b.N
// tasks is therefore run, ns/op includes the cost of the rejections, and the number of
// rejections per task is reported as rejects/op. Any other Submit error fails the benchmark.
//
// Two fault-injection flags wrap every pool in Slowed, to produce a deliberately worse run
// (how internal/benchgate's testdata fixtures were made):
//
//	go test -run='^$' -bench=. ./bench -args -bench.slow=500ns -bench.alloc=64

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolcheck/poolcheck/catalog"
	"github.com/poolcheck/poolcheck/harness"
	"github.com/poolcheck/poolcheck/pools"
)

var (
	slowFlag  = flag.Duration("bench.slow", 0, "fault injection: every Submit first spins this long")
	allocFlag = flag.Int("bench.alloc", 0, "fault injection: every Submit allocates this many bytes")
	poolsFlag = flag.String("bench.pools", "", "comma-separated pool names to run (default: all)")
	listFlag  = flag.Bool("bench.list", false, "print the names of the pools benchmarked, one a line, and exit")
)

// TestMain implements -bench.list, which scripts/bench.sh uses to learn the pools.
func TestMain(m *testing.M) {
	flag.Parse()
	if *listFlag {
		for _, s := range subjects() {
			fmt.Println(nameValue(s.Name))
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// blockFor is how long a blocking task sleeps. On the 2-core machine of docs/BENCH.md a
// time.Sleep of 20µs already takes about 1 ms (timer granularity), so 1 ms is asked for
// outright: the figure means the same on a machine with finer timers.
const blockFor = time.Millisecond

// saturatedParallelism × GOMAXPROCS is the number of submitters in the saturated scenario.
const saturatedParallelism = 32

// shortWork is the number of loop rounds of a saturated scenario's task: about 50-100 ns.
const shortWork = 100

type scenario struct {
	name    string
	limits  func(procs int) []int
	latency bool // the body records Submit-to-start latencies
	warm    int  // tasks the body runs, untimed, before the timed run (warmBlocking: per limit)
	herd    bool // the warm-up starts with a herd (see herd)
	run     func(n int, e *env)
}

// warmBlocking is the blocking scenario's warm-up, in tasks per unit of limit: a few
// rounds of 1 ms sleeps.
const warmBlocking = 4

var scenarios = []scenario{
	{name: "submit", limits: func(p int) []int { return []int{p, 64} }, warm: 1000, run: benchSubmit},
	{name: "submit-parallel", limits: func(p int) []int { return []int{p, 64} }, warm: 1000, run: benchSubmitParallel},
	{name: "saturated", limits: func(p int) []int { return []int{1, p} }, warm: 1000, herd: true, latency: true, run: benchSaturated},
	{name: "blocking", limits: func(p int) []int { return []int{1, p, 64, 1024} }, warm: warmBlocking, run: benchBlocking},
	{name: "latency", limits: func(p int) []int { return []int{p} }, warm: 100, latency: true, run: benchLatency},
}

// subjects returns every pool benchmarked: the catalogue's own entries, as they are when
// the test binary runs, the benchmark-only variants of ours, the catalogue's third-party
// entries, then the references.
func subjects() []harness.Subject {
	var out []harness.Subject
	for _, e := range catalog.Of(catalog.Ours) {
		out = append(out, e.Subject)
	}
	out = append(out, Variants()...)
	for _, e := range catalog.Of(catalog.ThirdParty) {
		out = append(out, e.Subject)
	}
	out = append(out, References()...)
	if *poolsFlag != "" {
		want := strings.Split(*poolsFlag, ",")
		out = slices.DeleteFunc(out, func(s harness.Subject) bool { return !slices.Contains(want, s.Name) })
	}
	return out
}

// nameValue makes v safe as the value of a key=value benchmark name element.
func nameValue(v string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == '=' {
			return '-'
		}
		return r
	}, v)
}

func BenchmarkPool(b *testing.B) {
	procs := runtime.GOMAXPROCS(0) // not -cpu's value: see the package comment
	for _, sc := range scenarios {
		b.Run("scenario="+sc.name, func(b *testing.B) {
			for _, s := range subjects() {
				b.Run("pool="+nameValue(s.Name), func(b *testing.B) {
					limits := sc.limits(procs)
					slices.Sort(limits)
					for _, limit := range slices.Compact(limits) {
						b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
							runOne(b, s, limit, sc)
						})
					}
				})
			}
		})
	}
}

// runOne measures one scenario on a fresh pool: creating the pool, warming it up (warm,
// then the scenario's own body for its warm-up tasks, so that whatever the pool makes once
// for this load, such as workers or the nodes of blocked submitters, is made) and closing
// it are not timed; waiting for the last task is.
func runOne(b *testing.B, subj harness.Subject, limit int, sc scenario) {
	b.ReportAllocs()
	p := subj.New(limit)
	if *slowFlag > 0 || *allocFlag > 0 {
		p = Slowed(p, *slowFlag, *allocFlag)
	}
	s := &submitter{pool: p, rejects: subj.Traits.Rejects}
	warm(p, limit, s)
	n := sc.warm
	if sc.name == "blocking" {
		n *= limit
	}
	var lat *latencies
	if sc.latency {
		lat = &latencies{ns: make([]int64, max(b.N, n))}
	}
	e := newEnv(s, lat)
	if sc.herd {
		herd(limit, e)
	}
	sc.run(n, e)
	p.Wait()
	if lat != nil {
		lat.n.Store(0) // the timed run's latencies only
	}
	s.rejected.Store(0)
	b.ResetTimer()
	sc.run(b.N, e)
	p.Wait()
	b.StopTimer()
	p.Close()
	if err := s.err.Load(); err != nil {
		b.Fatalf("%s: Submit: %v", subj.Name, *err)
	}
	if s.rejects {
		b.ReportMetric(float64(s.rejected.Load())/float64(b.N), "rejects/op")
	}
	if lat != nil {
		p50, p99 := lat.percentiles(b.N)
		b.ReportMetric(p50, "p50-ns")
		b.ReportMetric(p99, "p99-ns")
	}
}

var background = context.Background()

// warmHold bounds how long a warm-up task waits for the others: a pool that cannot run
// limit tasks at once still warms up, one warmHold per extra round.
const warmHold = 10 * time.Millisecond

// warm runs limit tasks on p, each held until all limit were submitted (or warmHold
// passed), so that a pool that starts workers on demand has started them all, and waits for
// them. It runs before the timer starts.
func warm(p pools.Pool, limit int, s *submitter) {
	gate := make(chan struct{})
	hold := func() {
		t := time.NewTimer(warmHold)
		defer t.Stop()
		select {
		case <-gate:
		case <-t.C:
		}
	}
	for range limit {
		if !s.submit(hold) {
			break
		}
	}
	close(gate)
	p.Wait()
}

// herd holds the pool's limit slots for warmHold and meanwhile has every closed-loop
// submitter of env Submit once, so that as many Submits wait at the same time as the
// saturated scenario can ever have. Whatever a pool keeps per waiting Submit (Workers' wait
// nodes), and the runtime per parked goroutine (sudogs, cached per P), is then made before
// the timer rather than at the timed run's first peak: the warm-up alone does not reliably
// reach it, since on a busy machine its submitters can run one after another. The caller
// waits for the pool.
func herd(limit int, e *env) {
	hold := func() { time.Sleep(warmHold) } // how long the slots are held, not a synchronisation
	for range limit {
		if !e.s.submit(hold) {
			return
		}
	}
	e.crew.run(0, len(e.loops), herdOnce)
}

// herdOnce is a crew body that submits once, whatever next says.
func herdOnce(e *env, i int, _ func() bool) { e.loops[i].once(e.s) }

// submitter submits with the retry policy for rejecting pools (see the package comment).
// It is safe for concurrent use; after a failure it records the first error and reports
// false, and the body stops submitting.
type submitter struct {
	pool     pools.Pool
	rejects  bool
	rejected atomic.Int64
	err      atomic.Pointer[error]
}

func (s *submitter) submit(task func()) bool {
	for {
		err := s.pool.Submit(background, task)
		if err == nil {
			return true
		}
		if s.rejects && errors.Is(err, pools.ErrFull) {
			s.rejected.Add(1)
			runtime.Gosched()
			continue
		}
		s.fail(err)
		return false
	}
}

// fail records the first error. It is apart from submit so that only a failing Submit
// moves an error to the heap: &err in submit itself would allocate on every call.
func (s *submitter) fail(err error) {
	s.err.CompareAndSwap(nil, &err)
}

// latencies collects one Submit-to-start latency per task into a slice allocated (outside
// the timer) with an entry per task of the longer of the warm-up and the timed run.
type latencies struct {
	ns []int64
	n  atomic.Int64
}

func (l *latencies) record(d time.Duration) {
	if i := l.n.Add(1) - 1; int(i) < len(l.ns) {
		l.ns[i] = int64(d)
	}
}

// percentiles returns the median and 99th percentile in nanoseconds (nearest rank) of the
// first n latencies recorded.
func (l *latencies) percentiles(n int) (p50, p99 float64) {
	ns := l.ns[:min(int(l.n.Load()), len(l.ns), n)]
	if len(ns) == 0 {
		return 0, 0
	}
	slices.Sort(ns)
	rank := func(q int) float64 { return float64(ns[min(len(ns)-1, (len(ns)*q+99)/100-1)]) }
	return rank(50), rank(99)
}

func emptyTask() {}

func sleepTask() { time.Sleep(blockFor) }

var workSink atomic.Int64

//go:noinline
func work(n int) int {
	x := 1
	for i := range n {
		x = x*31 + i
	}
	return x
}

// env is what a scenario's body uses, made before the timer: the submitter, the latencies
// (nil if the scenario records none) and one closed-loop submitter per goroutine that the
// saturated and latency bodies can use, so that no body allocates while it is timed.
type env struct {
	s     *submitter
	lat   *latencies
	loops []*loop
	crew  *crew // for the parallel bodies: GOMAXPROCS or len(loops) goroutines
}

func newEnv(s *submitter, lat *latencies) *env {
	e := &env{s: s, lat: lat}
	for range saturatedParallelism * runtime.GOMAXPROCS(0) {
		e.loops = append(e.loops, newLoop(lat, shortWork))
	}
	e.crew = newCrew(e, max(len(e.loops), runtime.GOMAXPROCS(0)))
	return e
}

func benchSubmit(n int, e *env) {
	for range n {
		if !e.s.submit(emptyTask) {
			return
		}
	}
}

func benchSubmitParallel(n int, e *env) { e.crew.run(n, runtime.GOMAXPROCS(0), submitParallel) }

func submitParallel(e *env, _ int, next func() bool) {
	for next() {
		if !e.s.submit(emptyTask) {
			return
		}
	}
}

func benchBlocking(n int, e *env) {
	for range n {
		if !e.s.submit(sleepTask) {
			return
		}
	}
}

// loop is one closed-loop submitter: it submits its task, waits for the task to end, and
// submits again. Its task is a method value made once, so a loop allocates nothing per
// task; t0 is written before Submit and read by the task, which the pool's hand-off orders.
type loop struct {
	lat  *latencies
	t0   time.Time
	work int
	done chan struct{} // cap 1: the task's "I have ended" to its own submitter
	task func()
	sum  int
}

func newLoop(lat *latencies, work int) *loop {
	l := &loop{lat: lat, work: work, done: make(chan struct{}, 1)}
	l.task = l.run
	return l
}

func (l *loop) run() {
	l.lat.record(time.Since(l.t0))
	if l.work > 0 {
		l.sum += work(l.work)
	}
	l.done <- struct{}{}
}

// once submits one task and waits for it to end.
func (l *loop) once(s *submitter) bool {
	l.t0 = time.Now()
	if !s.submit(l.task) {
		return false
	}
	<-l.done
	return true
}

func benchSaturated(n int, e *env) { e.crew.run(n, len(e.loops), saturatedLoop) }

func saturatedLoop(e *env, i int, next func() bool) {
	l := e.loops[i]
	l.work = shortWork
	for next() {
		if !l.once(e.s) {
			return
		}
	}
	workSink.Add(int64(l.sum))
}

func benchLatency(n int, e *env) {
	l := e.loops[0]
	l.work = 0
	for range n {
		if !l.once(e.s) {
			return
		}
	}
}
