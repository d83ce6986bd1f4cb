# Run the benchmark in a pinned Node image; results land in the mounted results/ folder:
#   docker build -t httpmodels . && docker run --rm -v "$PWD/results:/app/results" httpmodels
#   docker run --rm -v "$PWD/results:/app/results" httpmodels npm run bench -- --model=threads
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends wrk git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
CMD ["npm", "run", "bench"]
