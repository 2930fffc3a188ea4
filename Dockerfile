# Build stage: a static polls binary (templates, static files and migrations
# are embedded in it).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/polls .

# Final stage: the binary alone on a minimal base, running as a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/polls /usr/local/bin/polls
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/polls"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
