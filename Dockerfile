# Build: docker build -t jobcenter .   Run: see docker-compose.yml.
FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first, so this layer is reused until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Static, pure Go (SQLite is github.com/glebarez/sqlite, no cgo); tzdata and
# the docs renderer are embedded in the binary.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/jobcenter ./cmd/jobcenter

# CA certificates, /etc/passwd and user nonroot (65532), nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/jobcenter /jobcenter
EXPOSE 8080
ENTRYPOINT ["/jobcenter"]
CMD ["serve"]
