package instrument

import (
	"bytes"
	"flag"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// load instruments testdata/ops in mode m, naming its file "ops.go".
func load(t *testing.T, m Mode) []Output {
	t.Helper()
	res, err := Load("testdata/ops", m, func(string) string { return "ops.go" }, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, outs := range res {
		return outs
	}
	t.Fatal("no package")
	return nil
}

func TestGolden(t *testing.T) {
	for _, c := range []struct {
		mode   Mode
		golden string
	}{{Lines, "ops.lines.golden"}, {Exact, "ops.exact.golden"}} {
		outs := load(t, c.mode)
		got := outs[0].Text
		path := filepath.Join("testdata", c.golden)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs (go test ./internal/instrument -update, then review the diff):\n%s", c.golden, got)
		}
		typeCheck(t, outs)
	}
}

// typeCheck parses and type-checks the rewritten package: it must still compile.
func typeCheck(t *testing.T, outs []Output) {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	for i, o := range outs {
		f, err := parser.ParseFile(fset, "out"+string(rune('0'+i))+".go", o.Text, parser.ParseComments)
		if err != nil {
			t.Fatalf("rewritten file does not parse: %v\n%s", err, o.Text)
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: importer.Default(), GoVersion: "go1.26"}
	if _, err := conf.Check("ops", fset, files, nil); err != nil {
		t.Fatalf("rewritten package does not type-check: %v", err)
	}
}

// In Exact mode a select with plain operands is seeded, one with effects is not.
func TestSeededSelects(t *testing.T) {
	text := string(load(t, Exact)[0].Text)
	for _, want := range []string{`switch __ilv_sel("ops.go:82 select", 3) {`, `switch __ilv_sel("ops.go:126 select", 3) {`} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(text, `__ilv_sel("ops.go:138 select"`) {
		t.Error("the select on time.After was seeded")
	}
}

// The look-alikes are left alone and every operation of the fixture has its point.
func TestOnlyTypesDecide(t *testing.T) {
	text := string(load(t, Lines)[0].Text)
	for _, keep := range []string{
		"\tf.Lock()\n", "\tf.Unlock()\n", // fakeMutex
		"c.cond.L.Lock()", "c.cond.L.Unlock()", // through an interface
		"\tclose(v)\n", // a shadowed close
		"go generic(3)", "go println(\"x\")",
	} {
		if !strings.Contains(text, keep) {
			t.Errorf("%q was rewritten", keep)
		}
	}
	for _, want := range []string{
		`__ilv_ch("ops.go:37 Add", &(c.n)).Add(1)`,
		`atomic.AddInt64(__ilv_ch("ops.go:38 AddInt64", &c.old), 1)`,
		`__ilv_lock("ops.go:49 Lock", &(c.mu))`,
		`__ilv_lock("ops.go:51 Lock", pm)`,
		`defer __ilv_defer("ops.go:52 Unlock", pm.Unlock)()`,
		`__ilv_rlock("ops.go:53 RLock", &(c.rw))`,
		`__ilv_lock("ops.go:58 Lock", e)`,
		`__ilv_ch("ops.go:59 Store", e).Store(true)`,
		`__ilv_ch("ops.go:68 Wait", c.cond).Wait()`,
		`__ilv_ch("ops.go:73 Go", &(c.wg)).Go(func() {})`,
		`__ilv_ch("ops.go:80 send", out) <- <-__ilv_ch("ops.go:80 recv", in)`,
		`case x := <-__ilv_ch("ops.go:82 select", in):`,
		`case out <- v:`,
		`for x := range __ilv_range("ops.go:90 range", in)`,
		`defer __ilv_close("ops.go:93 close", done)`,
		`go __ilv_go("ops.go:107 go", worker)(1)`,
		`go __ilv_go("ops.go:109 go", func() {`,
		`defer __ilv_defer("ops.go:110 Done", c.wg.Done)()`,
		`go __ilv_go("ops.go:112 go", c.mu.Unlock)()`,
		`__ilv_point("ops.go:113 go"); go generic(3)`,
		`go __ilv_go("ops.go:114 go", generic[int])(4)`,
		`c.cond = sync.NewCond(__ilv_locker("ops.go:148 Lock", &c.mu))`,
		`c.cond.L = __ilv_locker("ops.go:149 Lock", &c.rw)`,
		`sync.Cond{L: __ilv_locker("ops.go:150 Lock", &c.mu)}`,
		`__ilv_gosched("ops.go:120 Gosched", runtime.Gosched)()`,
		`__ilv_once("ops.go:76 Do", &(c.once), func() {})`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q", want)
		}
	}
}
