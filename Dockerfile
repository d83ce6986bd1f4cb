# Run the benchmark in a pinned Node image; results land in the mounted results/ folder:
#   docker build -t httpmodels . && docker run --rm -v "$PWD/results:/app/results" httpmodels
#   docker run --rm -v "$PWD/results:/app/results" httpmodels npm run bench -- --model=threads
#   Tests in the image: docker run --rm --privileged httpmodels npm test (the two-host test makes network namespaces)
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends wrk iproute2 git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
CMD ["npm", "run", "bench"]
