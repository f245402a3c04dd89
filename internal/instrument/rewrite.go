package instrument

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Mode says how a rewritten file keeps the original's positions.
type Mode int

const (
	// Exact follows every insertion with a /*line*/ directive, so lines and columns are
	// the original's. For compiling (toolexec); gofmt would move the directives.
	Exact Mode = iota
	// Lines inserts text within lines only and names the original file in one //line
	// directive before the package clause: lines are the original's, columns after an
	// insertion are not. The result is gofmt-clean if the original was, so a copy can be
	// committed.
	Lines
)

// File rewrites one type-checked file of a package: it puts a scheduling point before
// every operation that orders goroutines (see the package doc) and returns the new source
// and the number of points. lineName is the file name the //line directives give, so that
// positions in the rewritten file (stacks, race reports, compile errors) are the
// original's; src is the file's original text.
func File(fset *token.FileSet, info *types.Info, f *ast.File, src []byte, lineName string, mode Mode) ([]byte, int, error) {
	tf := fset.File(f.FileStart)
	if tf == nil || tf.Size() != len(src) {
		return nil, 0, fmt.Errorf("instrument: %s: source does not match the parsed file", lineName)
	}
	e := &editor{fset: fset, tf: tf, info: info, src: src, name: lineName, mode: mode,
		skip: map[ast.Node]bool{}, labeled: map[ast.Stmt]bool{},
		rangeFunc: versionAtLeast(info.FileVersions[f], 23)}
	ast.Inspect(f, e.visit)
	if mode == Lines {
		return e.applyLines(f), e.points, nil
	}
	return e.apply(), e.points, nil
}

// versionAtLeast reports whether a Go version ("go1.22.3") is at least go1.minor.
func versionAtLeast(v string, minor int) bool {
	rest, ok := strings.CutPrefix(v, "go1.")
	if !ok {
		return false
	}
	if i := strings.IndexAny(rest, ".rcbeta"); i >= 0 {
		rest = rest[:i]
	}
	n, err := strconv.Atoi(rest)
	return err == nil && n >= minor
}

// editor collects insertions and replacements on the original text.
type editor struct {
	fset   *token.FileSet
	tf     *token.File
	info   *types.Info
	src    []byte
	name   string
	edits  []edit
	points int
	skip   map[ast.Node]bool // select cases' channel operations: the select has one point
	// rangeFunc: the file may range over functions (go1.23), so a range over a channel
	// can get a point before every receive.
	rangeFunc bool
	mode      Mode
	labeled   map[ast.Stmt]bool // statements that carry a label
}

// edit replaces src[off:end] with text (an insertion when end == off). Edits at one
// offset are ordered by rank: closing texts of inner spans first, then of outer ones,
// then replacements, then opening texts of outer spans, then of inner ones.
type edit struct {
	off, end int
	rank     int
	text     string
	lazy     func() string // computes text once every edit is known (seeded selects)
	owner    ast.Node      // the seeded select an edit rewrites, left out of its own copies
}

func (e *editor) off(p token.Pos) int { return e.tf.Offset(p) }

// pos is the position string a point reports: "file.go:line op", op naming the operation
// that follows the point ("Load", "Unlock", "send", "select").
func (e *editor) pos(p token.Pos, op string) string {
	return strconv.Quote(filepath.Base(e.name) + ":" + strconv.Itoa(e.tf.Line(p)) + " " + op)
}

// wrap surrounds the expression x with open and close texts.
func (e *editor) wrap(x ast.Expr, open, close string) {
	span := int(x.End() - x.Pos())
	e.edits = append(e.edits,
		edit{off: e.off(x.Pos()), end: e.off(x.Pos()), rank: 3<<30 - span, text: open},
		edit{off: e.off(x.End()), end: e.off(x.End()), rank: span, text: close})
	e.points++
}

// through puts a point before the operation op at p that uses operand x.
func (e *editor) through(p token.Pos, op string, x ast.Expr, addr bool) {
	open := "__ilv_ch(" + e.pos(p, op) + ", "
	if addr {
		e.wrap(x, open+"&(", "))")
		return
	}
	e.wrap(x, open, ")")
}

func (e *editor) insert(p token.Pos, text string) {
	o := e.off(p)
	e.edits = append(e.edits, edit{off: o, end: o, rank: 2 << 30, text: text})
	e.points++
}

func (e *editor) replace(from, to token.Pos, text string) {
	e.edits = append(e.edits, edit{off: e.off(from), end: e.off(to), rank: 1 << 30, text: text})
}

func (e *editor) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.GoStmt: // the call runs in the new goroutine: only its operands are the parent's
		e.goStmt(n)
		e.operands(n.Call)
		return false
	case *ast.DeferStmt:
		e.deferStmt(n)
		e.operands(n.Call)
		return false
	case *ast.CallExpr:
		e.call(n)
	case *ast.SendStmt:
		if !e.skip[n] {
			e.through(n.Arrow, "send", n.Chan, false)
		}
	case *ast.UnaryExpr:
		if n.Op == token.ARROW && !e.skip[n] {
			e.through(n.OpPos, "recv", n.X, false)
		}
	case *ast.RangeStmt:
		if isChan(e.info.TypeOf(n.X)) {
			if e.rangeFunc {
				e.wrap(n.X, "__ilv_range("+e.pos(n.For, "range")+", ", ")")
			} else {
				e.through(n.For, "range", n.X, false) // one point, before the loop
			}
		}
	case *ast.LabeledStmt:
		e.labeled[n.Stmt] = true
	case *ast.AssignStmt: // cond.L = &mu
		if len(n.Lhs) == len(n.Rhs) {
			for i, l := range n.Lhs {
				if e.isCondL(l) {
					e.locker(n.Rhs[i])
				}
			}
		}
	case *ast.CompositeLit: // sync.Cond{L: &mu}
		if recvName(e.info.TypeOf(n)) == "Cond" && isSync(e.info.TypeOf(n)) {
			for _, el := range n.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "L" {
						e.locker(kv.Value)
					}
				}
			}
		}
	case *ast.SelectStmt:
		e.selectStmt(n)
	}
	return true
}

// operands visits what a go or defer statement evaluates at once: the function value's
// receiver or the function expression, and the arguments.
func (e *editor) operands(c *ast.CallExpr) {
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.SelectorExpr:
		ast.Inspect(f.X, e.visit)
	case *ast.Ident:
	default:
		ast.Inspect(f, e.visit)
	}
	for _, a := range c.Args {
		ast.Inspect(a, e.visit)
	}
}

// selectStmt gives a select one point. In Exact mode a select whose case operands can be
// evaluated twice without effect is also seeded: the policy picks a case to try first.
func (e *editor) selectStmt(s *ast.SelectStmt) {
	var comms []*ast.CommClause
	var chans []ast.Expr
	for _, c := range s.Body.List {
		cc := c.(*ast.CommClause)
		op, ch := commOp(cc.Comm)
		if op == nil {
			continue
		}
		e.skip[op] = true
		comms = append(comms, cc)
		chans = append(chans, ch)
	}
	if len(comms) == 0 {
		return
	}
	if e.mode == Exact && e.seedable(s, comms) {
		e.seed(s, comms)
		return
	}
	e.through(s.Select, "select", chans[0], false)
}

// seed rewrites
//
//	select { case C0: B0 ... }
//
// into
//
//	switch __ilv_sel(pos, n) {
//	case 0: select { case C0: B0; default: select { case C0: B0 ... } }
//	...
//	default: select { case C0: B0 ... }
//	}
//
// (the copies with /*line*/ directives): the case the policy chose is taken if it is
// ready, and otherwise the original select runs. Breaks and terminating statements mean
// what they meant. __ilv_sel is the select's point; it returns -1 when the goroutine is
// not controlled.
func (e *editor) seed(s *ast.SelectStmt, comms []*ast.CommClause) {
	pos := e.pos(s.Select, "select")
	o, end := e.off(s.Pos()), e.off(s.End())
	e.edits = append(e.edits, edit{off: o, end: o, rank: 2 << 30, owner: s, lazy: func() string {
		whole := e.render(o, end, s)
		var b strings.Builder
		fmt.Fprintf(&b, "switch __ilv_sel(%s, %d) {", pos, len(comms))
		for i, cc := range comms {
			fmt.Fprintf(&b, "\ncase %d: select { %s\ndefault: %s\n}", i, e.render(e.off(cc.Pos()), e.off(cc.End()), s), whole)
		}
		b.WriteString("\ndefault: ")
		return b.String()
	}})
	e.edits = append(e.edits, edit{off: end, end: end, rank: 0, owner: s, text: "\n}"})
	e.points++
}

// seedable reports whether a select may be seeded: at least two channel cases, no label
// on it or inside its cases (the copies would repeat them), and case operands that are
// plain values, so that evaluating the chosen case's twice changes nothing.
func (e *editor) seedable(s *ast.SelectStmt, comms []*ast.CommClause) bool {
	if len(comms) < 2 || e.labeled[s] {
		return false
	}
	for _, cc := range comms {
		pure := true
		ast.Inspect(cc, func(n ast.Node) bool {
			if _, ok := n.(*ast.LabeledStmt); ok {
				pure = false
			}
			return pure
		})
		switch c := cc.Comm.(type) {
		case *ast.SendStmt:
			pure = pure && e.pure(c.Chan) && e.pure(c.Value)
		default:
			_, ch := commOp(c)
			pure = pure && e.pure(ch)
		}
		if !pure {
			return false
		}
	}
	return true
}

// pure reports whether evaluating x has no effect beyond its value: names, fields,
// literals, operators other than receive, and ctx.Done() on a context.Context.
func (e *editor) pure(x ast.Expr) bool {
	ok := true
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if tv, found := e.info.Types[n.Fun]; found && tv.IsType() {
				return true // a conversion
			}
			sel, isSel := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if !isSel {
				ok = false
				break
			}
			fn, _ := e.info.Uses[sel.Sel].(*types.Func)
			if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "context" || fn.Name() != "Done" {
				ok = false
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				ok = false
			}
		case *ast.FuncLit:
			ok = false
		}
		return ok
	})
	return ok
}

// render returns src[a:b] with the edits inside it applied, each followed by a /*line*/
// directive, and a directive first: a copy of original text that keeps its positions.
// The edits of the seeded select own are left out.
func (e *editor) render(a, b int, own ast.Node) string {
	var out strings.Builder
	out.WriteString(e.directive(a))
	last := a
	for _, ed := range e.edits {
		inside := (ed.off > a || ed.off == a && ed.rank >= 1<<30) && (ed.off < b || ed.off == b && ed.rank < 1<<30)
		if !inside || ed.owner != nil && ed.owner == own {
			continue
		}
		if ed.off > last {
			out.Write(e.src[last:ed.off])
		}
		out.WriteString(ed.textNow())
		last = max(last, ed.end, ed.off)
		out.WriteString(e.directive(last))
	}
	if b > last {
		out.Write(e.src[last:b])
	}
	return out.String()
}

func (ed edit) textNow() string {
	if ed.lazy != nil {
		return ed.lazy()
	}
	return ed.text
}

// directive is the /*line*/ comment giving the original position of offset off.
func (e *editor) directive(off int) string {
	p := e.tf.Position(e.tf.Pos(off))
	return fmt.Sprintf("/*line %s:%d:%d*/", e.name, p.Line, p.Column)
}

// commOp returns a select case's channel operation and its channel operand.
func commOp(s ast.Stmt) (ast.Node, ast.Expr) {
	switch s := s.(type) {
	case *ast.SendStmt:
		return s, s.Chan
	case *ast.ExprStmt:
		if u, ok := ast.Unparen(s.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			return u, u.X
		}
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			if u, ok := ast.Unparen(s.Rhs[0]).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
				return u, u.X
			}
		}
	}
	return nil, nil
}

// goStmt makes the new goroutine's function go through __ilv_go (a point, then the child
// named after its parent), or, where the function value cannot be passed as a value (a
// builtin, a generic function instantiated by inference), puts a plain point before it.
func (e *editor) goStmt(g *ast.GoStmt) {
	fun := ast.Unparen(g.Call.Fun)
	if e.isBuiltin(fun) || e.inferred(fun) {
		e.insert(g.Go, "__ilv_point("+e.pos(g.Go, "go")+"); ")
		return
	}
	e.wrap(g.Call.Fun, "__ilv_go("+e.pos(g.Go, "go")+", ", ")")
}

// deferStmt: a deferred synchronizing call gets its point when it runs, not when it is
// deferred. Its receiver and arguments are still evaluated at the defer. In Exact mode a
// second defer, registered just after it, runs just before it (no allocation); in Lines
// mode, where a second statement on the line would not survive gofmt, the deferred
// function value goes through __ilv_defer (close, a builtin, becomes __ilv_close).
func (e *editor) deferStmt(d *ast.DeferStmt) {
	if e.syncCall(d.Call) == opNone {
		return
	}
	pos := e.pos(d.Defer, e.opName(d.Call))
	e.points++
	if e.mode == Exact {
		o := e.off(d.End())
		e.edits = append(e.edits, edit{off: o, end: o, rank: 2 << 30, text: "; defer __ilv_point(" + pos + ")"})
		return
	}
	if e.isBuiltin(ast.Unparen(d.Call.Fun)) { // close(ch)
		e.replace(d.Call.Fun.Pos(), d.Call.Lparen+1, "__ilv_close("+pos+", ")
		return
	}
	e.edits = append(e.edits,
		edit{off: e.off(d.Call.Fun.Pos()), end: e.off(d.Call.Fun.Pos()), rank: 3<<30 - int(d.Call.Fun.End()-d.Call.Fun.Pos()), text: "__ilv_defer(" + pos + ", "},
		edit{off: e.off(d.Call.Fun.End()), end: e.off(d.Call.Fun.End()), rank: int(d.Call.Fun.End() - d.Call.Fun.Pos()), text: ")"})
}

// locker wraps the Locker x given to a sync.Cond, so that the Lock inside Cond.Wait is a
// TryLock loop that parks too: a goroutine woken by Signal while the signaller, parked at
// a point, holds the lock would otherwise block in Lock, not durably, and stall the run.
func (e *editor) locker(x ast.Expr) {
	e.wrap(x, "__ilv_locker("+e.pos(x.Pos(), "Lock")+", ", ")")
}

// isCondL reports whether x is the field L of a sync.Cond.
func (e *editor) isCondL(x ast.Expr) bool {
	sel, ok := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "L" {
		return false
	}
	s := e.info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return false
	}
	v, ok := s.Obj().(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "sync" && recvName(s.Recv()) == "Cond"
}

// isSync reports whether t (or what it points to) is a named type of package sync.
func isSync(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync"
}

// op is how a call is instrumented.
type op int

const (
	opNone     op = iota
	opFirstArg    // close(ch), atomic.AddInt64(&x, 1): point through the first argument
	opRecv        // a method of a sync or sync/atomic type: point through the receiver
	opLock        // (*sync.Mutex).Lock, (*sync.RWMutex).Lock: TryLock and park
	opRLock       // (*sync.RWMutex).RLock: TryRLock and park
	opYield       // runtime.Gosched: a point that lets others go first
	opLocker      // sync.NewCond(l): l becomes a parking Locker
	opOnce        // (*sync.Once).Do: waits by parking while another goroutine runs the function
)

func (e *editor) call(c *ast.CallExpr) {
	switch e.syncCall(c) {
	case opFirstArg:
		e.through(c.Lparen, e.opName(c), c.Args[0], false)
	case opRecv:
		sel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		e.through(sel.Sel.Pos(), sel.Sel.Name, sel.X, e.needsAddr(sel))
	case opYield:
		e.wrap(c.Fun, "__ilv_gosched("+e.pos(c.Lparen, "Gosched")+", ", ")")
	case opLocker:
		e.locker(c.Args[0])
	case opOnce:
		sel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		open := "__ilv_once(" + e.pos(sel.Sel.Pos(), sel.Sel.Name) + ", "
		if e.needsAddr(sel) {
			open += "&("
			e.replace(sel.X.End(), c.Lparen+1, "), ")
		} else {
			e.replace(sel.X.End(), c.Lparen+1, ", ")
		}
		o := e.off(sel.X.Pos())
		e.edits = append(e.edits, edit{off: o, end: o, rank: 3<<30 - int(c.End()-c.Pos()), text: open})
		e.points++
	case opLock, opRLock:
		sel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		fn := "__ilv_lock("
		if e.syncCall(c) == opRLock {
			fn = "__ilv_rlock("
		}
		open := fn + e.pos(sel.Sel.Pos(), sel.Sel.Name) + ", "
		if e.needsAddr(sel) {
			open += "&("
			e.replace(sel.X.End(), c.End(), "))")
		} else {
			e.replace(sel.X.End(), c.End(), ")")
		}
		o := e.off(sel.X.Pos())
		e.edits = append(e.edits, edit{off: o, end: o, rank: 3<<30 - int(c.End()-c.Pos()), text: open})
		e.points++
	}
}

// opName names the synchronizing call c for its point: the function or method ("Load",
// "AddInt64", "Unlock"), or the builtin ("close").
func (e *editor) opName(c *ast.CallExpr) string {
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.Ident:
		return f.Name
	}
	return "call"
}

// syncMethods are the methods, by receiver type, that order goroutines.
var syncMethods = map[string]map[string]bool{
	"Mutex":     {"Lock": true, "Unlock": true, "TryLock": true},
	"RWMutex":   {"Lock": true, "Unlock": true, "TryLock": true, "RLock": true, "RUnlock": true, "TryRLock": true},
	"Cond":      {"Wait": true, "Signal": true, "Broadcast": true},
	"WaitGroup": {"Add": true, "Done": true, "Wait": true, "Go": true},
	"Once":      {"Do": true},
}

// syncCall classifies a call by the object it calls, found by type information.
func (e *editor) syncCall(c *ast.CallExpr) op {
	fun := ast.Unparen(c.Fun)
	if id, ok := fun.(*ast.Ident); ok {
		if b, ok := e.info.Uses[id].(*types.Builtin); ok && b.Name() == "close" && len(c.Args) == 1 {
			return opFirstArg
		}
	}
	var fn *types.Func
	var sel *ast.SelectorExpr
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		sel = f
		fn, _ = e.info.Uses[f.Sel].(*types.Func)
	case *ast.IndexExpr, *ast.IndexListExpr: // an explicitly instantiated generic function
		return opNone
	}
	if fn == nil || fn.Pkg() == nil {
		return opNone
	}
	recv := fn.Signature().Recv()
	switch fn.Pkg().Path() {
	case "runtime":
		if fn.Name() == "Gosched" && recv == nil {
			return opYield
		}
	case "sync/atomic":
		if recv == nil {
			if len(c.Args) > 0 {
				return opFirstArg
			}
			return opNone
		}
		if s := e.info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			return opRecv
		}
	case "sync":
		if recv == nil && fn.Name() == "NewCond" && len(c.Args) == 1 {
			return opLocker
		}
		s := e.info.Selections[sel]
		if recv == nil || s == nil || s.Kind() != types.MethodVal {
			return opNone
		}
		tn := recvName(recv.Type())
		if !syncMethods[tn][fn.Name()] {
			return opNone
		}
		if tn == "Once" && fn.Name() == "Do" && len(c.Args) == 1 {
			return opOnce
		}
		if (tn == "Mutex" || tn == "RWMutex") && (fn.Name() == "Lock" || fn.Name() == "RLock") &&
			e.hasTry(sel, tn, "Try"+fn.Name()) {
			if fn.Name() == "Lock" {
				return opLock
			}
			return opRLock
		}
		return opRecv
	}
	return opNone
}

// hasTry reports whether the receiver of sel, as passed to __ilv_lock, has sync's own
// try method (an outer type could shadow it).
func (e *editor) hasTry(sel *ast.SelectorExpr, typeName, method string) bool {
	t := e.info.TypeOf(sel.X)
	if t == nil {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, method)
	fn, ok := obj.(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == "sync" && recvName(fn.Signature().Recv().Type()) == typeName
}

func recvName(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// needsAddr reports whether the call takes the receiver's address implicitly: a pointer
// method reached from an addressable value with no pointer on the way. The instrumented
// call then passes that address explicitly, so the operation acts on the same variable.
func (e *editor) needsAddr(sel *ast.SelectorExpr) bool {
	s := e.info.Selections[sel]
	if s == nil {
		return false
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok {
		return false
	}
	_, ptrMethod := fn.Signature().Recv().Type().(*types.Pointer)
	return ptrMethod && !s.Indirect()
}

func (e *editor) isBuiltin(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = e.info.Uses[id].(*types.Builtin)
	return ok
}

// inferred reports whether x names a generic function whose type arguments are inferred
// from the call: it has no function value of its own to pass.
func (e *editor) inferred(x ast.Expr) bool {
	var id *ast.Ident
	switch x := x.(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return false
	}
	if _, ok := e.info.Instances[id]; !ok {
		return false
	}
	return true
}

// applyLines returns the edited source in Lines mode: the generated-code header, the
// original text with the edits (none adds a line), and a //line directive just before the
// package clause naming the original file.
func (e *editor) applyLines(f *ast.File) []byte {
	e.sortEdits()
	pkgLine := e.tf.Line(f.Package)
	pkgOff := e.off(e.tf.LineStart(pkgLine))
	var b bytes.Buffer
	b.WriteString("// Code generated by poolcheck-instrument. DO NOT EDIT.\n\n")
	directive := fmt.Sprintf("//line %s:%d\n", e.name, pkgLine)
	if d := f.Doc; d != nil && e.tf.Line(d.End()) == pkgLine-1 {
		directive = "//\n" + directive // gofmt sets directives apart from a doc comment
	}
	last := 0
	put := func(upto int) {
		if upto <= last {
			return
		}
		if last <= pkgOff && pkgOff <= upto {
			b.Write(e.src[last:pkgOff])
			b.WriteString(directive)
			last = pkgOff
		}
		b.Write(e.src[last:upto])
		last = upto
	}
	for _, ed := range e.edits {
		put(ed.off)
		b.WriteString(ed.text)
		last = max(last, ed.end)
	}
	put(len(e.src))
	return b.Bytes()
}

func (e *editor) sortEdits() {
	slices.SortStableFunc(e.edits, func(a, b edit) int {
		if a.off != b.off {
			return a.off - b.off
		}
		return a.rank - b.rank
	})
}

func isChan(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// apply returns the edited source: a //line directive first, and after every edit a
// /*line*/ directive giving the original position of the text that follows.
func (e *editor) apply() []byte {
	e.sortEdits()
	var b bytes.Buffer
	fmt.Fprintf(&b, "//line %s:1\n", e.name)
	last := 0
	for _, ed := range e.edits {
		if ed.off > last {
			b.Write(e.src[last:ed.off])
		}
		b.WriteString(ed.textNow())
		last = max(last, ed.end, ed.off)
		b.WriteString(e.directive(last))
	}
	b.Write(e.src[last:])
	return b.Bytes()
}
