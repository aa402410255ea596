package handlers

import (
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"

	"jobcenter/apidocs"
)

var docsHTML = apidocs.Page("/openapi.yaml")

func docsPage(c echo.Context) error { return c.HTMLBlob(http.StatusOK, docsHTML) }

func docsAsset(c echo.Context) error {
	name := c.Param("file")
	b, err := fs.ReadFile(apidocs.Assets(), name)
	if err != nil {
		return echo.ErrNotFound
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "text/plain; charset=utf-8"
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, ct, b)
}
