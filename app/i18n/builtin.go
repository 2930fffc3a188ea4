package i18n

import "sync"

// builtin is the catalogs embedded in the binary, loaded on first use. They
// are constants of the build, like the embedded templates: nothing changes
// them after loading, so sharing one copy hides no state.
var builtin = sync.OnceValues(Load)

// Builtin returns the embedded catalogs. It panics if they do not load,
// which the tests of this package rule out before a binary ships.
func Builtin() *Catalogs {
	c, err := builtin()
	if err != nil {
		panic(err)
	}
	return c
}

// For is Builtin().For(l): the Localizer handlers use for their request.
func For(l Lang) Localizer { return Builtin().For(l) }
