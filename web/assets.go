package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded static files, each served under a URL holding
// a hash of its content (/static/<hash>/<path>), so that browsers may keep
// them forever and a changed file gets a new URL.
type assets struct {
	files map[string]asset // by path under static/
}

type asset struct {
	hash  string
	data  []byte
	ctype string
}

func loadAssets() (*assets, error) {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[strings.TrimPrefix(p, "static/")] = asset{hash: hex.EncodeToString(sum[:6]), data: b, ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	return a, nil
}

// url returns the content-hashed URL of a static file; it panics on a name
// that is not embedded (a template bug, caught by the tests).
func (a *assets) url(name string) string {
	f, ok := a.files[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + f.hash + "/" + name
}

// serveAsset serves a static file whose hash matches its content.
func (w *Web) serveAsset(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("file"), "/")
	f, ok := w.assets.files[name]
	if !ok || f.hash != c.Param("hash") {
		c.AbortWithStatus(http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, f.ctype, f.data)
}
