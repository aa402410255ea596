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
# The data directory, empty: the runtime image has no shell to make it.
RUN mkdir /out/data

# CA certificates, /etc/passwd and user nonroot (65532), nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/jobcenter /jobcenter
# SQLite (the default database without JOBCENTER_DATABASE_URL) and the keys
# development mode generates live in a volume the nonroot user can write;
# the image's root file system is not writable to it.
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
ENV JOBCENTER_DATABASE_URL=sqlite:///data/jobcenter.db
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/jobcenter"]
CMD ["serve"]
