package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"jobcenter/directory"
	"jobcenter/models"
)

func (a *API) userRoutes(g *echo.Group) {
	admin := allow(models.RoleAdmin)
	g.POST("/users", a.createUser, admin)
	g.GET("/users", a.listUsers, admin)
	g.GET("/users/:id", a.getUser, admin)
	g.PATCH("/users/:id", a.patchUser, admin)
}

type userRequest struct {
	Email          string  `json:"email"`
	Password       string  `json:"password"`
	Role           string  `json:"role"`
	OrganizationID *string `json:"organization_id"`
	Name           string  `json:"name"`
	Phone          string  `json:"phone"`
}

type userResponse struct {
	ID             string  `json:"id"`
	Email          string  `json:"email"`
	Role           string  `json:"role"`
	TenantID       string  `json:"tenant_id"`
	OrganizationID *string `json:"organization_id"`
	Name           string  `json:"name"`
	Phone          string  `json:"phone"`
	Language       string  `json:"language"`
	Active         bool    `json:"active"`
	Version        int     `json:"version"`
}

func userDTO(u models.User) userResponse {
	return userResponse{ID: u.ID, Email: u.Email, Role: u.Role, TenantID: u.TenantID, OrganizationID: u.OrganizationID, Name: u.Name,
		Phone: u.Phone, Language: u.Language, Active: u.Active, Version: u.Version}
}

// userPatch is what PATCH /v1/users/{id} may change.
type userPatch struct {
	Name     *string `json:"name"`
	Phone    *string `json:"phone"`
	Active   *bool   `json:"active"`
	Password *string `json:"password"`
	Language *string `json:"language"`
}

func (a *API) me(c echo.Context) error {
	u, err := a.Directory.User(c.Request().Context(), principal(c), principal(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userDTO(u))
}

func (a *API) createUser(c echo.Context) error {
	var req userRequest
	invalid, err := decodeInvalid(c, &req)
	if err != nil {
		return err
	}
	u, err := a.Directory.CreateUser(c.Request().Context(), principal(c), directory.NewUser{Email: req.Email, Password: req.Password,
		Role: req.Role, OrganizationID: req.OrganizationID, Name: req.Name, Phone: req.Phone, Invalid: invalid})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, userDTO(u))
}

func (a *API) listUsers(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Directory.ListUsers(c.Request().Context(), principal(c), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, userDTO))
}

func (a *API) getUser(c echo.Context) error {
	u, err := a.Directory.User(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(u.Version))
	return c.JSON(http.StatusOK, userDTO(u))
}

func (a *API) patchUser(c echo.Context) error {
	var req userPatch
	ctx, p, id := c.Request().Context(), principal(c), c.Param("id")
	return versionedPatch(c, &req,
		func() error { _, err := a.Directory.User(ctx, p, id); return err },
		func(version int, invalid *models.ValidationError) (models.User, error) {
			return a.Directory.UpdateUser(ctx, p, id, version, directory.UserChange(req), invalid)
		},
		func(u models.User) (int, userResponse) { return u.Version, userDTO(u) })
}
