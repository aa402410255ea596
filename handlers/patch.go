package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

// versionedPatch is the one shape of a PATCH on a versioned object (tenant,
// user, organization, participant): the body decodes strictly into req; an
// unknown object is a 404 before any precondition (exists, nil for the
// caller's own tenant); without If-Match 428, with a stale one 412 (from
// update); the answer carries the new ETag. The body's field problems
// (decodeInvalid) go to update, whose rules report them together with their
// own; without a version to update, they are the answer before the 404.
func versionedPatch[M any, D any](c echo.Context, req any, exists func() error, update func(version int, invalid *models.ValidationError) (M, error),
	answer func(M) (version int, body D)) error {
	invalid, err := decodeInvalid(c, req)
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		if err := invalid.Err(); err != nil {
			return err
		}
		if exists != nil {
			if nf := exists(); nf != nil {
				return nf
			}
		}
		return err
	}
	m, err := update(version, invalid)
	if err != nil {
		return err
	}
	v, body := answer(m)
	c.Response().Header().Set("ETag", etag(v))
	return c.JSON(http.StatusOK, body)
}
