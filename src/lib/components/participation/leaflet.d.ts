// Leaflet ships without type declarations (and @types/leaflet is not installed). MapPicker uses a
// handful of its calls and types them locally (MapPicker.svelte's LeafletLike).
declare module 'leaflet';
declare module 'leaflet/dist/leaflet.css';
