package thirdparty

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"

	"github.com/poolcheck/poolcheck/pools/resource"
)

// SQLPool is database/sql's connection pool as a resource.Pool: DB.Conn acquires, Conn.Close
// releases, and the connections are made and closed by f through a small in-process driver
// (a driver.Connector whose Connect calls f.Create and whose connections' Close calls
// f.Destroy; they run no queries). The DB is limited to max open connections and keeps up
// to max idle ones (database/sql's default of 2 idle would close the rest on release).
//
// Discard marks the connection bad the way a driver does, by returning driver.ErrBadConn
// from Conn.Raw, so database/sql closes it. Acquire after Close returns resource.ErrClosed
// where database/sql returns its unexported "sql: database is closed". DB.Close closes the
// idle connections and returns without waiting for those in use, which it closes when they
// are released (sql.go, DB.Close and putConn): declared as ResourceTraits.CloseDoesNotWait.
type SQLPool[R comparable] struct {
	db    *sql.DB
	mu    sync.Mutex
	conns map[R]*sql.Conn
}

// NewSQLPool returns database/sql's pool of at most max connections made by f.
func NewSQLPool[R comparable](max int, f resource.Factory[R]) *SQLPool[R] {
	db := sql.OpenDB(&connector[R]{f: f})
	db.SetMaxOpenConns(max)
	db.SetMaxIdleConns(max)
	return &SQLPool[R]{db: db, conns: map[R]*sql.Conn{}}
}

// Acquire calls DB.Conn and returns the resource under the connection.
func (p *SQLPool[R]) Acquire(ctx context.Context) (R, error) {
	var zero R
	c, err := p.db.Conn(ctx)
	if err != nil {
		if err.Error() == "sql: database is closed" {
			err = resource.ErrClosed
		}
		return zero, err
	}
	var r R
	if err := c.Raw(func(dc any) error {
		r = dc.(*conn[R]).r
		return nil
	}); err != nil {
		_ = c.Close()
		return zero, err
	}
	p.mu.Lock()
	p.conns[r] = c
	p.mu.Unlock()
	return r, nil
}

// take forgets and returns the sql.Conn r was acquired with, or nil.
func (p *SQLPool[R]) take(r R) *sql.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.conns[r]
	delete(p.conns, r)
	return c
}

// Release calls Conn.Close, which gives the connection back to the DB.
func (p *SQLPool[R]) Release(r R) {
	if c := p.take(r); c != nil {
		_ = c.Close()
	}
}

// Discard returns driver.ErrBadConn from Conn.Raw: database/sql closes the connection.
func (p *SQLPool[R]) Discard(r R) {
	if c := p.take(r); c != nil {
		_ = c.Raw(func(any) error { return driver.ErrBadConn })
		_ = c.Close() // already closed by Raw: returns sql.ErrConnDone
	}
}

// Close calls DB.Close.
func (p *SQLPool[R]) Close() { _ = p.db.Close() }

// connector is the in-process driver: its connections are the factory's resources.
type connector[R any] struct{ f resource.Factory[R] }

func (c *connector[R]) Connect(ctx context.Context) (driver.Conn, error) {
	r, err := c.f.Create(ctx)
	if err != nil {
		return nil, err
	}
	return &conn[R]{r: r, f: c.f}, nil
}

func (c *connector[R]) Driver() driver.Driver { return sqlDriver{} }

var errNoQueries = errors.New("thirdparty: the in-process driver runs no queries")

type sqlDriver struct{}

func (sqlDriver) Open(string) (driver.Conn, error) { return nil, errNoQueries }

type conn[R any] struct {
	r R
	f resource.Factory[R]
}

func (c *conn[R]) Prepare(string) (driver.Stmt, error) { return nil, errNoQueries }
func (c *conn[R]) Begin() (driver.Tx, error)           { return nil, errNoQueries }
func (c *conn[R]) Close() error {
	c.f.Destroy(c.r)
	return nil
}
